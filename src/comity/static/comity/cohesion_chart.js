// The political-cohesion page: the Allies' mean agreement in UN votes over the years, with each
// other and with each compared state, and their mean kappa, drawn with the vendored ECharts from
// the page's own JSON (#cohesion-series, #cohesion-others). Names reach the tooltip only through
// encodeHTML; a year without data is a gap, never a zero.
(function () {
  "use strict";
  const element = document.getElementById("cohesion-chart");
  const data = document.getElementById("cohesion-series");
  const othersData = document.getElementById("cohesion-others");
  if (!element || !data || !othersData) return;
  const series = JSON.parse(data.textContent);
  const others = JSON.parse(othersData.textContent);
  const lines = [
    { name: "Agreement among the Allies", key: "alliance_agreement" },
    { name: "Kappa among the Allies", key: "alliance_kappa", dashed: true },
    ...Object.keys(others).map((code) => ({ name: "Agreement with " + others[code], key: "agreement_" + code })),
  ];
  const chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    grid: { top: 48, left: 48, right: 16, bottom: 32 },
    legend: { top: 0 },
    tooltip: {
      trigger: "axis",
      formatter: (points) => points.map((p) => echarts.format.encodeHTML(
        (p.dataIndex === points[0].dataIndex && p === points[0] ? series[p.dataIndex].year + " - " : "") +
        p.seriesName + ": " + (p.value === null ? "no data" : Number(p.value).toFixed(3)))).join("<br>"),
    },
    xAxis: { type: "category", data: series.map((row) => String(row.year)) },
    yAxis: { type: "value", max: 1 },
    series: lines.map((line) => ({
      type: "line",
      name: line.name,
      data: series.map((row) => (row[line.key] === undefined ? null : row[line.key])),
      lineStyle: line.dashed ? { type: "dashed" } : {},
      connectNulls: false,
    })),
  });
  window.addEventListener("resize", () => chart.resize());
  element.dataset.state = "ready";
})();
