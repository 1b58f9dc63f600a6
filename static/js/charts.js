// Draws each chart from the figure JSON placed beside it (see core/charts.py).
// Loaded with `defer` after plotly-basic.min.js. Without JavaScript the table under each chart
// holds the same figures.
(function () {
  "use strict";
  if (!window.Plotly) {
    return;
  }
  document.querySelectorAll("[data-app-chart]").forEach(function (box) {
    var source = document.getElementById(box.getAttribute("data-app-chart"));
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var height = box.getAttribute("data-app-chart-height");
    if (height) {
      box.style.height = height + "px";
    }
    window.Plotly.newPlot(box, figure.data, figure.layout, {
      displayModeBar: false,
      responsive: true
    });
  });
})();
