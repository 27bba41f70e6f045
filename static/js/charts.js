// Draws the charts a page declares with <canvas data-chart="radar" data-chart-labels='[…]'
// data-chart-series='[{"label": …, "values": […]}]'>. Every chart has its numbers in a table
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
      options: {
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
