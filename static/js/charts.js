// Draws the charts a page declares with <canvas data-chart="radar|bar" data-chart-labels='[…]'
// data-chart-series='[{"label": …, "values": […]}]'> (radar values 0–1; bars are counts,
// drawn across so that long labels stay readable on a phone). Every chart has its numbers in a table
// on the same page; the canvas is only a picture of them. Runs again after htmx swaps.
(function () {
  "use strict";
  var palette = ["#1d6b57", "#c25e00", "#3558a8", "#8e3b8e"];

  function draw(canvas) {
    if (canvas.dataset.drawn || typeof window.Chart === "undefined") return;
    var labels = JSON.parse(canvas.dataset.chartLabels || "[]");
    var series = JSON.parse(canvas.dataset.chartSeries || "[]");
    canvas.dataset.drawn = "1";
    var figure = canvas.closest("figure.chart");
    if (figure) figure.classList.add("drawn"); // shown only once there is a chart to show
    // Bars need height by their number (set here: the CSP allows no inline style attribute).
    if (figure && canvas.dataset.chart === "bar") figure.style.height = (3 + labels.length * 2.25) + "rem";
    new window.Chart(canvas, {
      type: canvas.dataset.chart,
      data: {
        labels: labels,
        datasets: series.map(function (s, i) {
          var colour = palette[i % palette.length];
          return { label: s.label, data: s.values, borderColor: colour,
                   backgroundColor: colour + "33", pointBackgroundColor: colour };
        })
      },
      options: canvas.dataset.chart === "bar" ? {
        animation: false,
        indexAxis: "y",
        maintainAspectRatio: false,
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: series.length > 1, position: "bottom" } }
      } : {
        animation: false,
        scales: { r: { min: 0, max: 1, ticks: { display: false } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  document.addEventListener("htmx:afterSettle", function (e) { drawAll(e.target); });
})();
