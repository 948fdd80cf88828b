// Engagement map: one marker per place, sized by the records there, for the records the user may
// see that have a place (the page embeds them; the server applies the place rules and the label
// filter). A marker's popup lists its records as links. Its style says how the place was found:
// the record's own coordinates, a sourced base, or the capital of the country the record names.
(function () {
  "use strict";
  const element = document.getElementById("engagement-map");
  if (!element) return;
  const points = JSON.parse(document.getElementById("engagement-points").textContent);
  const map = L.map(element, { worldCopyJump: true }).setView([55, 15], 4);
  map.attributionControl.addAttribution("Boundaries: Natural Earth via world-atlas");
  const shapes = comity.worldShapes(element.dataset.topojson).then((countries) => {
    L.geoJSON(countries, {
      style: { color: "#888", weight: 0.5, fillColor: "#e8edf3", fillOpacity: 1, className: "country" },
    }).addTo(map).bringToBack();
  });

  const groups = new Map();
  points.forEach((point) => {
    const key = [point.lat, point.lng, point.precision].join("|");
    if (!groups.has(key)) groups.set(key, { lat: point.lat, lng: point.lng, precision: point.precision, basis: point.basis, records: [] });
    groups.get(key).records.push(point);
  });

  function popup(group) {
    const box = document.createElement("div");
    const heading = document.createElement("p");
    heading.textContent = group.records.length + (group.records.length === 1 ? " record" : " records") + " placed at the " + group.basis;
    const items = document.createElement("ul");
    group.records.forEach((record) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = record.url;
      link.textContent = record.title;
      item.append(link, " (" + (record.start || "no date") + ") [" + record.label + "]");
      items.append(item);
    });
    box.append(heading, items);
    return box;
  }

  let drawn = 0;
  groups.forEach((group) => {
    const count = group.records.length;
    const size = Math.round(18 + 6 * Math.sqrt(count - 1));
    const label = document.createElement("span");
    label.textContent = String(count);
    const marker = L.marker([group.lat, group.lng], {
      icon: L.divIcon({ className: "engagement-place engagement-place--" + group.precision, html: label, iconSize: [size, size] }),
      title: count + " at the " + group.basis,
    }).bindPopup(popup(group)).addTo(map);
    marker.getElement().dataset.count = String(count);
    drawn += count;
  });
  shapes.then(() => {
    element.dataset.records = String(drawn);
    element.dataset.places = String(groups.size);
    element.dataset.state = "ready";
  });
})();
