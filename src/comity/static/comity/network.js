// Co-participation network: nations and shared engagements from /api/engagements/network/.
(function () {
  "use strict";
  const element = document.getElementById("network");
  if (!element) return;
  const summary = document.getElementById("network-summary");
  const year = element.dataset.year;
  const url = element.dataset.api + (year ? "?year=" + encodeURIComponent(year) : "");
  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => r.json())
    .then((graph) => {
      const maxWeight = Math.max(1, ...graph.edges.map((e) => e.weight));
      const maxNode = Math.max(1, ...graph.nodes.map((n) => n.engagements));
      const cy = cytoscape({
        container: element,
        elements: [
          ...graph.nodes.map((n) => ({ data: { id: n.id, label: n.id, name: n.name, size: 12 + 30 * n.engagements / maxNode } })),
          ...graph.edges.map((e) => ({ data: { id: e.source + "-" + e.target, source: e.source, target: e.target, width: 1 + 6 * e.weight / maxWeight } })),
        ],
        style: [
          { selector: "node", style: { label: "data(label)", width: "data(size)", height: "data(size)", "background-color": "#1f4e96", "font-size": 9, color: "#1b1f24" } },
          { selector: "edge", style: { width: "data(width)", "line-color": "#9fb3d1", opacity: 0.7 } },
        ],
        layout: { name: "cose", animate: false, randomize: false },
      });
      element.dataset.nodes = String(cy.nodes().length);
      summary.textContent = graph.nodes.length + " nations, " + graph.edges.length + " links" + (year ? " in " + year : "");
    });
})();
