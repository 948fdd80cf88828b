// Dyad explorer and alliance view: the series of one or more directed dyads drawn with the
// vendored ECharts from GET /api/events/series/, and the events behind a clicked point from
// GET /api/events/events/. The query comes from the data attributes of #events-chart.
(function () {
  "use strict";
  const element = document.getElementById("events-chart");
  if (!element) return;
  const summary = document.getElementById("events-chart-summary");
  const periodSelect = document.getElementById("events-period");
  const list = document.getElementById("events-list");
  const listTitle = document.getElementById("events-list-title");
  const listRows = document.getElementById("events-list-rows");
  const listCount = document.getElementById("events-list-count");
  const moreButton = document.getElementById("events-list-more");
  const quads = [
    ["verbal_coop", "Verbal cooperation", "#6aa84f"],
    ["material_coop", "Material cooperation", "#38761d"],
    ["verbal_conflict", "Verbal conflict", "#e69138"],
    ["material_conflict", "Material conflict", "#cc0000"],
  ];
  const palette = ["#1f4e96", "#a64d79", "#45818e", "#e69138"];
  const dyads = element.dataset.dyads.split(",").filter(Boolean).map((d) => d.split(":"));
  const common = { freq: element.dataset.freq, from: element.dataset.from, to: element.dataset.to,
    root_only: element.dataset.rootOnly };
  let current = null; // {dyad, period, offset}

  function query(params) {
    const search = new URLSearchParams();
    Object.entries(params).forEach(([key, value]) => { if (value) search.set(key, value); });
    return search.toString();
  }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(Object.entries(body).map(([k, v]) => k + ": " + [].concat(v).join(" ")).join("; "));
    return body;
  }

  const name = (dyad) => dyad[0] + " → " + dyad[1];

  function draw(results) {
    const periods = [...new Set(results.flatMap((r) => r.rows.map((row) => row.period)))].sort();
    const byPeriod = results.map((r) => new Map(r.rows.map((row) => [row.period, row])));
    const value = (i, period, column) => { const row = byPeriod[i].get(period); return row ? row[column] : null; };
    const seriesChart = echarts.init(document.getElementById("events-series-chart"), null, { renderer: "svg" });
    const series = [];
    dyads.forEach((dyad, i) => {
      series.push({ name: name(dyad) + " events", type: "bar", yAxisIndex: 0, color: palette[i % palette.length],
        data: periods.map((p) => value(i, p, "events")) });
      series.push({ name: name(dyad) + " Goldstein mean", type: "line", yAxisIndex: 1, connectNulls: false,
        color: palette[(i + 2) % palette.length], symbolSize: 8, data: periods.map((p) => value(i, p, "goldstein_mean")) });
    });
    seriesChart.setOption({
      animation: false,
      tooltip: { trigger: "item" },
      legend: { top: 0 },
      grid: { top: 48, left: 56, right: 56, bottom: 32 },
      xAxis: { type: "category", data: periods },
      yAxis: [{ type: "value", name: "events" }, { type: "value", name: "Goldstein mean", min: -10, max: 10 }],
      series: series,
    });
    seriesChart.on("click", (params) => select(Math.floor(params.seriesIndex / 2), params.name));
    const quadChart = echarts.init(document.getElementById("events-quad-chart"), null, { renderer: "svg" });
    const quadSeries = [];
    dyads.forEach((dyad, i) => quads.forEach(([column, label, colour]) => quadSeries.push({
      name: label, type: "bar", stack: name(dyad), color: colour,
      data: periods.map((p) => value(i, p, column)),
    })));
    quadChart.setOption({
      animation: false,
      // A formatter's result is HTML: every piece of data in it is escaped, only the <br> is markup.
      tooltip: { trigger: "item", formatter: (p) => [name(dyads[Math.floor(p.seriesIndex / 4)]) + ", " + p.name, p.seriesName + ": " + p.value]
        .map((line) => echarts.format.encodeHTML(line)).join("<br>") },
      legend: { top: 0, data: quads.map((q) => q[1]) },
      grid: { top: 40, left: 56, right: 56, bottom: 32 },
      xAxis: { type: "category", data: periods },
      yAxis: { type: "value", name: "events" },
      series: quadSeries,
    });
    quadChart.on("click", (params) => select(Math.floor(params.seriesIndex / 4), params.name));
    window.addEventListener("resize", () => { seriesChart.resize(); quadChart.resize(); });

    periodSelect.replaceChildren(new Option("—", ""));
    results.forEach((r, i) => r.rows.forEach((row) => {
      periodSelect.append(new Option(name(dyads[i]) + ", " + row.period + " (" + row.events + ")", i + "|" + row.period));
    }));
    const total = results.map((r, i) => name(dyads[i]) + ": " + r.rows.reduce((n, row) => n + row.events, 0) + " events");
    summary.textContent = periods.length ? total.join("; ") + " in " + periods.length + " periods (" + common.freq + ")"
      : "No events you may see for " + dyads.map(name).join(", ") + ".";
    element.dataset.periods = String(periods.length);
    element.dataset.state = "ready";
  }

  async function select(dyadIndex, period, offset) {
    const dyad = dyads[dyadIndex];
    if (!dyad || !period) return;
    current = { dyad: dyadIndex, period: period, offset: offset || 0 };
    periodSelect.value = dyadIndex + "|" + period;
    const url = element.dataset.eventsApi + "?" + query({ source: dyad[0], target: dyad[1], period: period,
      from: common.from, to: common.to, root_only: common.root_only, limit: "50", offset: String(current.offset) });
    let body;
    try { body = await getJson(url); } catch (error) { listTitle.textContent = "Could not load the events: " + error.message; list.hidden = false; return; }
    if (current.period !== period || current.dyad !== dyadIndex) return; // superseded
    if (!current.offset) listRows.replaceChildren();
    body.results.forEach((event) => {
      const row = document.createElement("tr");
      [event.date, event.source_country || event.source_actor, event.target_country || event.target_actor,
        event.cameo_code, event.plover_type, event.quad_class, event.goldstein, event.origin_format, event.label]
        .forEach((cell) => { const td = document.createElement("td"); td.textContent = cell == null ? "" : String(cell); row.append(td); });
      row.title = (event.source_actor || "") + " → " + (event.target_actor || "") + " (" + event.event_id + ")";
      listRows.append(row);
    });
    listTitle.textContent = name(dyad) + ", " + period + ": " + body.count + " events";
    listCount.textContent = "Showing " + listRows.children.length + " of " + body.count + ".";
    moreButton.hidden = !body.next;
    list.hidden = false;
    element.dataset.eventsCount = String(body.count);
    element.dataset.eventsPeriod = period;
  }

  periodSelect.addEventListener("change", () => {
    const [index, period] = periodSelect.value.split("|");
    if (period) select(Number(index), period);
  });
  moreButton.addEventListener("click", () => {
    if (current) select(current.dyad, current.period, listRows.children.length);
  });

  Promise.all(dyads.map((dyad) => getJson(element.dataset.seriesApi + "?" + query({ source: dyad[0], target: dyad[1], ...common }))))
    .then(draw)
    .catch((error) => { summary.textContent = "Could not load the series: " + error.message; element.dataset.state = "error"; });
})();
