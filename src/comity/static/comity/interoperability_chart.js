// The interoperability page: multinational engagements (bars) and ally density (line) by year,
// drawn with the vendored ECharts from the page's own JSON (#interoperability-series), which the
// server computed from the records the viewer may see. A year without a density is a gap.
(function () {
  "use strict";
  const element = document.getElementById("interoperability-chart");
  const data = document.getElementById("interoperability-series");
  if (!element || !data) return;
  const series = JSON.parse(data.textContent);
  const chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    grid: { top: 48, left: 48, right: 56, bottom: 32 },
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: series.map((row) => String(row.year)) },
    yAxis: [
      { type: "value", name: "engagements", minInterval: 1 },
      { type: "value", name: "density", min: 0, max: 1 },
    ],
    series: [
      { type: "bar", name: "Multinational engagements", data: series.map((row) => row.multinational) },
      { type: "line", name: "Ally density", yAxisIndex: 1, connectNulls: false,
        data: series.map((row) => row.ally_density) },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
  element.dataset.state = "ready";
})();
