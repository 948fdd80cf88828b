// The tension map: world shapes from the vendored TopoJSON coloured by conflict events per
// country in one period (GET /api/events/tension/?period=...&by=actor|location).
(function () {
  "use strict";
  const element = document.getElementById("tension-map");
  if (!element) return;
  const summary = document.getElementById("tension-summary");
  const top = document.getElementById("tension-top");
  const regions = document.getElementById("tension-regions");
  const regionsBox = document.getElementById("tension-regions-box");
  const steps = [[50, "#7f0000"], [20, "#cc0000"], [10, "#e65100"], [5, "#f6b26b"], [1, "#ffe599"]];
  const colour = (conflict) => { const step = steps.find(([min]) => conflict >= min); return step ? step[1] : "#d9ead3"; };

  const map = L.map(element, { worldCopyJump: true, attributionControl: true }).setView([40, 20], 2);
  map.attributionControl.addAttribution("Boundaries: Natural Earth via world-atlas");

  async function load() {
    const params = new URLSearchParams({ period: element.dataset.period, by: element.dataset.by });
    const [features, response] = await Promise.all([
      comity.worldShapes(element.dataset.topojson),
      fetch(element.dataset.api + "?" + params, { credentials: "same-origin", headers: { Accept: "application/json" } }),
    ]);
    const body = await response.json();
    if (!response.ok) { summary.textContent = "Could not load the tension: " + JSON.stringify(body); return; }
    const byNumeric = new Map(body.countries.filter((c) => c.iso_numeric).map((c) => [c.iso_numeric, c]));
    L.geoJSON(features, {
      style: (feature) => {
        const numeric = String(feature.id).padStart(3, "0");
        const country = byNumeric.get(numeric);
        return { className: "country iso-" + numeric + (country ? " has-events" : ""), color: "#666", weight: 0.5,
          fillOpacity: country ? 0.8 : 0.2, fillColor: country ? colour(country.conflict) : "#ccc" };
      },
      onEachFeature: (feature, path) => {
        const country = byNumeric.get(String(feature.id).padStart(3, "0"));
        path.bindTooltip(comity.textElement(country ? country.name + ": " + country.conflict + " conflict of " +
          country.events + " events (Goldstein mean " + country.goldstein_mean + ")" : feature.properties.name + ": no events"));
      },
    }).addTo(map);
    const states = body.countries.filter((c) => c.is_state);
    const others = body.countries.filter((c) => !c.is_state);
    top.replaceChildren(...states.slice(0, 15).map((c) => {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "tension-swatch";
      swatch.style.background = colour(c.conflict);
      item.append(swatch, c.name + " (" + c.country + "): " + c.conflict + " conflict / " + c.events + " events");
      return item;
    }));
    regions.replaceChildren(...others.map((c) => {
      const item = document.createElement("li");
      item.textContent = c.country + ": " + c.conflict + " conflict / " + c.events + " events";
      return item;
    }));
    regionsBox.hidden = others.length === 0;
    summary.textContent = body.period + " (" + body.from + " to " + body.to + "), by " + body.by + ": " +
      states.length + " countries with events" + (others.length ? "; " + others.length + " codes that are not countries (below the ranking)" : "");
    element.dataset.countries = String(states.length);
    element.dataset.regions = String(others.length);
    element.dataset.state = "ready";
  }

  load().catch((error) => { summary.textContent = "Could not load the tension: " + error.message; });
})();
