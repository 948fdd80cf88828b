// The burden-sharing page: one bar per Ally (defence expenditure, % of GDP) with the 2% guideline
// as a line, drawn with the vendored ECharts from the page's own JSON (#burden-bars), so the chart
// and the table below it show the same figures. Names reach the tooltip only through encodeHTML.
(function () {
  "use strict";
  const element = document.getElementById("burden-chart");
  const data = document.getElementById("burden-bars");
  if (!element || !data) return;
  const bars = JSON.parse(data.textContent);
  const guideline = Number(element.dataset.guideline);
  const flags = (bar) => [bar.estimate ? "estimate" : "", bar.verified ? "" : "unverified"].filter(Boolean).join(", ");
  const chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    grid: { top: 24, left: 48, right: 16, bottom: 64 },
    tooltip: {
      trigger: "item",
      formatter: (p) => echarts.format.encodeHTML(
        bars[p.dataIndex].name + ": " + bars[p.dataIndex].value + "% of GDP" +
        (flags(bars[p.dataIndex]) ? " (" + flags(bars[p.dataIndex]) + ")" : "")),
    },
    xAxis: { type: "category", data: bars.map((b) => b.iso3), axisLabel: { rotate: 60 } },
    yAxis: { type: "value", name: "% of GDP" },
    series: [{
      type: "bar",
      data: bars.map((b) => ({
        value: b.value,
        // At or above the guideline dark, below it light; an estimate or unverified figure dashed.
        itemStyle: { color: b.meets ? "#1f4e96" : "#9fb3d1", borderColor: "#c62828",
          borderWidth: b.estimate || !b.verified ? 1 : 0, borderType: "dashed" },
      })),
      markLine: { symbol: "none", label: { formatter: guideline + "% guideline" }, data: [{ yAxis: guideline }],
        lineStyle: { color: "#c62828", type: "dashed" } },
    }],
  });
  window.addEventListener("resize", () => chart.resize());
  element.dataset.state = "ready";
})();
