// The cooperation-climate page: net cooperation by period, one line per pair of parties, drawn
// with the vendored ECharts from the page's own JSON (#cooperation-series). A period without
// events is a gap. Line names reach the tooltip only through encodeHTML.
(function () {
  "use strict";
  const element = document.getElementById("cooperation-chart");
  const data = document.getElementById("cooperation-series");
  if (!element || !data) return;
  const chart = JSON.parse(data.textContent);
  const plot = echarts.init(element, null, { renderer: "svg" });
  plot.setOption({
    animation: false,
    grid: { top: 64, left: 48, right: 16, bottom: 32 },
    legend: { top: 0, type: "scroll" },
    tooltip: {
      trigger: "axis",
      formatter: (points) => points.map((p) => echarts.format.encodeHTML(
        p.seriesName + ": " + (p.value === null || p.value === undefined ? "no events" : Number(p.value).toFixed(3)))).join("<br>"),
    },
    xAxis: { type: "category", data: chart.periods },
    yAxis: { type: "value", min: -1, max: 1 },
    series: chart.lines.map((line) => ({ type: "line", name: line.name, data: line.values, connectNulls: false })),
  });
  window.addEventListener("resize", () => plot.resize());
  element.dataset.state = "ready";
})();
