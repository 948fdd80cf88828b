// Attaché network: sending capital -> capital the attaché works from, for posts in force.
(function () {
  "use strict";
  const element = document.getElementById("attache-map");
  if (!element) return;
  const summary = document.getElementById("attache-summary");
  const map = L.map(element, { worldCopyJump: true }).setView([50, 10], 3);
  comity.worldShapes(element.dataset.topojson).then((countries) => {
    L.geoJSON(countries, {
      style: { color: "#888", weight: 0.5, fillColor: "#e8edf3", fillOpacity: 1 },
    }).addTo(map);
  });
  const on = element.dataset.on;
  fetch(element.dataset.api + (on ? "?on=" + encodeURIComponent(on) : ""), { credentials: "same-origin" })
    .then((r) => r.json())
    .then((body) => {
      const drawn = body.posts.filter((p) => p.from[0] !== null && p.to[0] !== null);
      drawn.forEach((p) => {
        L.polyline([p.from, p.to], { color: "#1f4e96", weight: 2, dashArray: p.resident ? null : "4 4", className: "attache-line" })
          .bindTooltip(comity.textElement(p.sending + " → " + p.host + " (" + p.service + ") [" + p.label + "]")).addTo(map);
      });
      element.dataset.posts = String(body.posts.length);
      element.dataset.drawn = String(drawn.length);
      const missing = body.posts.length - drawn.length;
      summary.textContent = (body.posts.length ? body.posts.length + (body.posts.length === 1 ? " attaché post" : " attaché posts") + " you may see in force on " + body.on
        : "No attaché post you may see is in force on " + body.on + " (comity ships none; see below)") +
        (missing ? "; " + missing + " not drawn (a capital without coordinates)" : "") + ".";
    });
})();
