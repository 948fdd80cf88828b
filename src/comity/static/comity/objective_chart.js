// An objective's page: one chart per indicator, its measurements as points joined by a line and
// the expected line from baseline to target dashed, drawn with the vendored ECharts from the
// page's own JSON (#progress-data). Names are user text: they reach the chart as ECharts text
// (SVG text nodes, never HTML) and the tooltip only through encodeHTML.
(function () {
  "use strict";
  const data = document.getElementById("progress-data");
  if (!data) return;
  for (const indicator of JSON.parse(data.textContent)) {
    const element = document.getElementById("chart-" + indicator.id);
    if (!element) continue;
    const unit = indicator.unit ? " " + indicator.unit : "";
    const chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      grid: { top: 32, left: 56, right: 24, bottom: 32 },
      legend: { data: ["measured", "expected"], top: 0 },
      tooltip: {
        trigger: "item",
        formatter: (p) => echarts.format.encodeHTML(p.seriesName + " " + p.value[0] + ": " + p.value[1] + unit),
      },
      xAxis: { type: "time" },
      yAxis: { type: "value", name: indicator.unit, scale: true },
      series: [
        { name: "measured", type: "line", data: indicator.points, symbolSize: 8 },
        { name: "expected", type: "line", data: indicator.expected, symbol: "none", lineStyle: { type: "dashed" } },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
    element.dataset.state = "ready";
  }
})();
