// The alliance map: world shapes from the vendored TopoJSON (cut at the antimeridian by
// comity/world_shapes.js, so Russia and Fiji are not smeared across the map), coloured by the registry's answer
// to "who was a member or partner on this date" (GET /api/registry/alliance/?on=...).
(function () {
  "use strict";
  const element = document.getElementById("alliance-map");
  if (!element) return;
  const yearInput = document.getElementById("map-year");
  const dateInput = document.getElementById("map-date");
  const orgInput = document.getElementById("map-organisation");
  const summary = document.getElementById("map-summary");
  const legend = document.getElementById("map-legend");
  const colours = { member: "#1f4e96", PFP: "#6aa84f", MD: "#e69138", ICI: "#a64d79", PATG: "#45818e" };
  const names = { member: "Member", PFP: "Partnership for Peace", MD: "Mediterranean Dialogue",
    ICI: "Istanbul Cooperation Initiative", PATG: "Partners across the globe" };

  const map = L.map(element, { worldCopyJump: true, attributionControl: true }).setView([48, 15], 3);
  map.attributionControl.addAttribution("Boundaries: Natural Earth via world-atlas");
  let features = null;
  let layer = null;
  let request = 0;

  function render(states) {
    const statusByNumeric = new Map(states.map((s) => [s.iso_numeric, s]));
    if (layer) layer.remove();
    layer = L.geoJSON(features, {
      style: (feature) => {
        const state = statusByNumeric.get(String(feature.id).padStart(3, "0"));
        const status = state ? state.status : "none";
        return {
          className: "country status-" + status + " iso-" + String(feature.id).padStart(3, "0"),
          color: "#666", weight: 0.5, fillOpacity: state ? 0.8 : 0.15,
          fillColor: state ? colours[status] || "#999" : "#ccc",
        };
      },
      onEachFeature: (feature, path) => {
        const state = statusByNumeric.get(String(feature.id).padStart(3, "0"));
        const label = state ? state.name + ": " + (names[state.status] || state.status) : feature.properties.name;
        path.bindTooltip(comity.textElement(label));
      },
    }).addTo(map);
  }

  function summarise(organisation, day, states) {
    const counts = {};
    states.forEach((s) => { counts[s.status] = (counts[s.status] || 0) + 1; });
    element.dataset.members = String(counts.member || 0);
    element.dataset.date = day;
    summary.textContent = organisation + " on " + day + ": " + (counts.member || 0) + " members" +
      Object.keys(counts).filter((k) => k !== "member").map((k) => ", " + counts[k] + " " + k).join("");
    legend.replaceChildren(...Object.keys(colours).map((k) => {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colours[k];
      item.append(swatch, " " + names[k] + " (" + (counts[k] || 0) + ")");
      return item;
    }));
  }

  async function update() {
    const day = dateInput.value;
    const organisation = orgInput.value;
    const mine = ++request;
    const url = element.dataset.api + "?organisation=" + encodeURIComponent(organisation) + "&on=" + encodeURIComponent(day);
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) { summary.textContent = "Could not load the alliance for " + day; return; }
    const body = await response.json();
    if (mine !== request) return; // a later request has superseded this one
    render(body.states);
    summarise(organisation, day, body.states);
  }

  yearInput.addEventListener("input", () => {
    const today = new Date().toISOString().slice(0, 10);
    const end = yearInput.value + "-12-31";
    dateInput.value = end > today ? today : end;
    update();
  });
  dateInput.addEventListener("change", () => { yearInput.value = dateInput.value.slice(0, 4); update(); });
  orgInput.addEventListener("change", update);

  comity.worldShapes(element.dataset.topojson).then((shapes) => {
    features = shapes;
    dateInput.value = new Date().toISOString().slice(0, 10);
    yearInput.max = dateInput.value.slice(0, 4);
    yearInput.value = yearInput.max;
    update();
  });
})();
