// Co-participation network: nations and shared engagements from /api/engagements/network/, with
// the page's filters (the server renders the same links as the table beside the graph).
(function () {
  "use strict";
  const element = document.getElementById("network");
  const table = document.getElementById("network-pairs");
  if (table) sortable(table);
  if (!element) return;
  // In the force layout every name shows up to ALL_NAMES nations; past that only the LABELLED
  // most linked nations are named, and the rest on hover.
  const ALL_NAMES = 25;
  const LABELLED = 15;
  const GROUP_COLOURS = { ally: "#1f4e96", partner: "#2e7d32", other: "#8d6e63" };
  const GROUP_ORDER = { ally: 0, partner: 1, other: 2 };
  const layoutName = element.dataset.layout;
  const url = element.dataset.api + (element.dataset.query ? "?" + element.dataset.query : "");

  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => {
      if (!response.ok) throw new Error("the network data answered " + response.status);
      return response.json();
    })
    .then(draw)
    .catch((error) => {
      element.textContent = "The network could not be drawn: " + error.message;
    });

  function draw(graph) {
    // A nation whose links all fall below the threshold is left out of the drawing (the summary
    // counts only linked nations); with no links at all, every nation shows on its own.
    const nodes = graph.edges.length ? graph.nodes.filter((n) => n.links > 0) : graph.nodes;
    const ordered = nodes.slice().sort((a, b) => GROUP_ORDER[a.group] - GROUP_ORDER[b.group] || a.name.localeCompare(b.name));
    const maxWeight = Math.max(1, ...graph.edges.map((e) => e.weight));
    const maxNode = Math.max(1, ...nodes.map((n) => n.engagements));
    const labelled = new Set(
      nodes.slice().sort((a, b) => b.links - a.links || b.engagements - a.engagements || a.id.localeCompare(b.id))
        .slice(0, layoutName === "groups" || nodes.length <= ALL_NAMES ? nodes.length : LABELLED).map((n) => n.id)
    );
    // Start from a circle in a fixed order so the force layout is the same on every load.
    const radius = 40 * Math.max(3, ordered.length);
    const elements = [
      ...ordered.map((n, i) => ({
        data: {
          id: n.id, name: n.name, label: n.id, engagements: n.engagements, group: n.group,
          size: 14 + 26 * Math.sqrt(n.engagements / maxNode), colour: GROUP_COLOURS[n.group] || GROUP_COLOURS.other,
        },
        classes: labelled.has(n.id) ? "labelled" : "",
        position: { x: radius * Math.cos((2 * Math.PI * i) / ordered.length), y: radius * Math.sin((2 * Math.PI * i) / ordered.length) },
      })),
      ...graph.edges.map((e) => ({
        data: {
          id: e.source + "-" + e.target, source: e.source, target: e.target, weight: e.weight,
          width: 1 + 9 * e.weight / maxWeight, opacity: 0.25 + 0.55 * e.weight / maxWeight,
        },
      })),
    ];
    const cy = cytoscape({
      container: element,
      elements: elements,
      minZoom: 0.2,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: { width: "data(size)", height: "data(size)", "background-color": "data(colour)", "border-width": 1, "border-color": "#fff" } },
        { selector: "node.labelled, node.hover, node.picked", style: { label: "data(label)", "font-size": 11, "font-weight": 600, color: "#1b1f24", "text-valign": "top", "text-margin-y": -3, "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 1 } },
        { selector: "node.hover, node.picked", style: { label: "data(name)", "z-index": 10, "border-color": "#1b1f24", "border-width": 2 } },
        { selector: "edge", style: { width: "data(width)", "line-color": "#6f8fbf", opacity: "data(opacity)", "curve-style": "straight" } },
        { selector: "edge.near, edge.picked", style: { "line-color": "#c77700", opacity: 0.95, "z-index": 9 } },
        { selector: ".faded", style: { opacity: 0.08 } },
      ],
      layout: layoutOptions(maxWeight),
    });
    window.comityNetwork = cy;

    cy.on("mouseover", "node", (event) => focus(event.target));
    cy.on("mouseout", "node", () => unfocus());
    cy.on("tap", "node", (event) => {
      focus(event.target);
      pickRows((row) => row.dataset.source === event.target.id() || row.dataset.target === event.target.id());
    });
    if (table) {
      table.querySelector("tbody").addEventListener("click", (event) => {
        const row = event.target.closest("tr[data-source]");
        if (!row) return;
        cy.elements().removeClass("picked");
        const edge = cy.getElementById(row.dataset.source + "-" + row.dataset.target);
        edge.addClass("picked");
        edge.connectedNodes().addClass("picked");
        pickRows((r) => r === row);
      });
    }

    function focus(node) {
      const near = node.closedNeighborhood();
      cy.elements().addClass("faded");
      near.removeClass("faded");
      node.addClass("hover");
      node.connectedEdges().addClass("near");
    }
    function unfocus() {
      cy.elements().removeClass("faded hover near");
    }
    function pickRows(test) {
      if (!table) return;
      table.querySelectorAll("tbody tr[data-source]").forEach((row) => row.classList.toggle("network-picked", test(row)));
    }

    element.dataset.nodes = String(cy.nodes().length);
    element.dataset.edges = String(cy.edges().length);
    element.dataset.labelled = String(cy.nodes(".labelled").length);
    element.dataset.ready = "true";
  }

  function layoutOptions(maxWeight) {
    if (layoutName === "groups") {
      // Allies, then partners, then the others, each by name, round one circle.
      return { name: "circle", sort: (a, b) => GROUP_ORDER[a.data("group")] - GROUP_ORDER[b.data("group")] || a.data("name").localeCompare(b.data("name")), padding: 30, spacingFactor: 1.1, animate: false };
    }
    // Heavier links are shorter and stiffer, so nations that train together often sit together.
    return {
      name: "cose", animate: false, randomize: false, padding: 30, nodeDimensionsIncludeLabels: true,
      idealEdgeLength: (edge) => 60 + 140 * (1 - edge.data("weight") / maxWeight),
      edgeElasticity: (edge) => 40 + 160 * (1 - edge.data("weight") / maxWeight),
      nodeRepulsion: () => 400000, nodeOverlap: 20, gravity: 0.6, numIter: 1500, componentSpacing: 60,
    };
  }

  // The table of pairs sorts by its header buttons: shared engagements or the pair's names.
  function sortable(tableElement) {
    tableElement.querySelectorAll("th button[data-sort]").forEach((button) => {
      button.addEventListener("click", () => {
        const header = button.closest("th");
        const key = button.dataset.sort;
        // Counts sort heaviest first, names A to Z first; a second click reverses.
        const current = header.getAttribute("aria-sort");
        const descending = current === "none" ? key === "weight" : current === "ascending";
        const body = tableElement.querySelector("tbody");
        const rows = Array.from(body.querySelectorAll("tr[data-source]"));
        rows.sort((a, b) => {
          const byPair = a.dataset.pair < b.dataset.pair ? -1 : a.dataset.pair > b.dataset.pair ? 1 : 0;
          const order = key === "weight" ? Number(a.dataset.weight) - Number(b.dataset.weight) || -byPair : byPair;
          return descending ? -order : order;
        });
        rows.forEach((row) => body.appendChild(row));
        tableElement.querySelectorAll("th").forEach((th) => th.setAttribute("aria-sort", "none"));
        header.setAttribute("aria-sort", descending ? "descending" : "ascending");
      });
    });
  }
})();
