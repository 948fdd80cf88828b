// Engagement map: markers for the engagements the user may see that have coordinates.
(function () {
  "use strict";
  const element = document.getElementById("engagement-map");
  if (!element) return;
  const summary = document.getElementById("engagement-map-summary");
  const map = L.map(element, { worldCopyJump: true }).setView([55, 15], 3);
  map.attributionControl.addAttribution("Boundaries: Natural Earth via world-atlas");
  fetch(element.dataset.topojson).then((r) => r.json()).then((topology) => {
    L.geoJSON(topojson.feature(topology, topology.objects.countries), {
      style: { color: "#888", weight: 0.5, fillColor: "#e8edf3", fillOpacity: 1 },
    }).addTo(map);
  });
  async function load(url, markers) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    const page = await response.json();
    page.results.filter((e) => e.latitude !== null && e.longitude !== null).forEach((e) => {
      markers.push(L.circleMarker([e.latitude, e.longitude], { radius: 6, color: "#1f4e96", className: "engagement-marker" })
        .bindTooltip(comity.textElement(e.title + " (" + (e.start_date || "?") + ") [" + e.label.marking + "]")).addTo(map));
    });
    if (page.next) return load(page.next, markers);
    return markers;
  }
  const year = element.dataset.year;
  const base = element.dataset.api + "?limit=500" + (year ? "&year=" + encodeURIComponent(year) : "");
  load(base, []).then((markers) => {
    element.dataset.markers = String(markers.length);
    summary.textContent = markers.length + " engagements with a known location" + (year ? " in " + year : "");
  });
})();
