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

  // The x axis is time: a bar stands at its period's middle, so periods without a row (no stored
  // event the user may see) are gaps of their true width, not squeezed out of the axis.
  const DAY = 86400000;
  function periodStart(label) {
    let match = /^(\d{4})-W(\d{2})$/.exec(label);
    if (match) { // ISO week: the Monday of the week holding 4 January, plus the weeks before
      const jan4 = Date.UTC(Number(match[1]), 0, 4);
      return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY + (Number(match[2]) - 1) * 7 * DAY;
    }
    match = /^(\d{4})-Q([1-4])$/.exec(label);
    if (match) return Date.UTC(Number(match[1]), 3 * Number(match[2]) - 3, 1);
    match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(label);
    return Date.UTC(Number(match[1]), match[2] ? Number(match[2]) - 1 : 0, match[3] ? Number(match[3]) : 1);
  }
  function nextStart(start) {
    const d = new Date(start);
    const step = { day: () => start + DAY, week: () => start + 7 * DAY,
      month: () => Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
      quarter: () => Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3, 1),
      year: () => Date.UTC(d.getUTCFullYear() + 1, 0, 1) }[common.freq];
    return step();
  }
  const middle = (label) => { const start = periodStart(label); return start + (nextStart(start) - start) / 2; };
  /** Periods from the first to the last label, both included (how many the axis spans). */
  function spanned(first, last) {
    let count = 0;
    for (let start = periodStart(first), end = periodStart(last); start <= end; start = nextStart(start)) count++;
    return count;
  }
  /** A series' points: [middle, value] per row, and a break after each row whose next period is
   * empty, so a line never joins across a gap. */
  function points(labels, value, withBreaks) {
    const result = [];
    labels.forEach((label, i) => {
      const v = value(label);
      if (v === null) return;
      result.push({ value: [middle(label), v], period: label });
      const after = nextStart(periodStart(label));
      if (withBreaks && i + 1 < labels.length && periodStart(labels[i + 1]) !== after) result.push({ value: [after, null] });
    });
    return result;
  }

  function draw(results) {
    const periods = [...new Set(results.flatMap((r) => r.rows.map((row) => row.period)))].sort((a, b) => periodStart(a) - periodStart(b));
    const byPeriod = results.map((r) => new Map(r.rows.map((row) => [row.period, row])));
    const value = (i, period, column) => { const row = byPeriod[i].get(period); return row ? row[column] : null; };
    const timeAxis = { type: "time", min: periods.length ? periodStart(periods[0]) : null,
      max: periods.length ? nextStart(periodStart(periods[periods.length - 1])) : null };
    const seriesChart = echarts.init(document.getElementById("events-series-chart"), null, { renderer: "svg" });
    const series = [];
    dyads.forEach((dyad, i) => {
      series.push({ name: name(dyad) + " events", type: "bar", yAxisIndex: 0, color: palette[i % palette.length],
        barMinWidth: 2, barMaxWidth: 40, data: points(periods, (p) => value(i, p, "events"), false) });
      series.push({ name: name(dyad) + " Goldstein mean", type: "line", yAxisIndex: 1, connectNulls: false,
        color: palette[(i + 2) % palette.length], symbolSize: 8, data: points(periods, (p) => value(i, p, "goldstein_mean"), true) });
    });
    seriesChart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: (p) => echarts.format.encodeHTML(p.seriesName + ", " + p.data.period + ": " + p.value[1]) },
      legend: { top: 0 },
      grid: { top: 48, left: 56, right: 56, bottom: 72 },
      xAxis: timeAxis,
      yAxis: [{ type: "value", name: "events" }, { type: "value", name: "Goldstein mean", min: -10, max: 10 }],
      dataZoom: [{ type: "inside", xAxisIndex: 0 }, { type: "slider", xAxisIndex: 0, bottom: 8 }],
      series: series,
    });
    seriesChart.on("click", (params) => { if (params.data && params.data.period) select(Math.floor(params.seriesIndex / 2), params.data.period); });
    const quadChart = echarts.init(document.getElementById("events-quad-chart"), null, { renderer: "svg" });
    const quadSeries = [];
    dyads.forEach((dyad, i) => quads.forEach(([column, label, colour]) => quadSeries.push({
      name: label, type: "bar", stack: name(dyad), color: colour, barMinWidth: 2, barMaxWidth: 40,
      data: points(periods, (p) => value(i, p, column), false),
    })));
    quadChart.setOption({
      animation: false,
      // A formatter's result is HTML: every piece of data in it is escaped, only the <br> is markup.
      tooltip: { trigger: "item", formatter: (p) => [name(dyads[Math.floor(p.seriesIndex / 4)]) + ", " + p.data.period, p.seriesName + ": " + p.value[1]]
        .map((line) => echarts.format.encodeHTML(line)).join("<br>") },
      legend: { top: 0, data: quads.map((q) => q[1]) },
      grid: { top: 40, left: 56, right: 56, bottom: 32 },
      xAxis: timeAxis,
      yAxis: { type: "value", name: "events" },
      dataZoom: [{ type: "inside", xAxisIndex: 0 }], // follows the slider above (echarts.connect)
      series: quadSeries,
    });
    quadChart.on("click", (params) => { if (params.data && params.data.period) select(Math.floor(params.seriesIndex / 4), params.data.period); });
    echarts.connect([seriesChart, quadChart]);
    window.addEventListener("resize", () => { seriesChart.resize(); quadChart.resize(); });

    periodSelect.replaceChildren(new Option("—", ""));
    results.forEach((r, i) => r.rows.forEach((row) => {
      periodSelect.append(new Option(name(dyads[i]) + ", " + row.period + " (" + row.events + ")", i + "|" + row.period));
    }));
    const total = results.map((r, i) => name(dyads[i]) + ": " + r.rows.reduce((n, row) => n + row.events, 0) + " events");
    const span = periods.length ? spanned(periods[0], periods[periods.length - 1]) : 0;
    summary.textContent = periods.length ? total.join("; ") + " in " + periods.length + " periods (" + common.freq + ")" +
      (span > periods.length ? " between " + periods[0] + " and " + periods[periods.length - 1] + "; the other " +
        (span - periods.length) + " periods of that span have none (gaps)" : "")
      : "No events you may see for " + dyads.map(name).join(", ") + ".";
    element.dataset.periods = String(periods.length);
    element.dataset.span = String(span);
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
