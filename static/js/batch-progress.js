// While an import is queued or running, ask for its state every second, move the progress
// bar, and reload the page once it has finished (which then shows the outcome and any
// problems). Without JavaScript the page refreshes itself every few seconds instead.
(function () {
  "use strict";
  var state = document.getElementById("batch-state");
  if (!state || !state.hasAttribute("data-running") || !window.fetch) {
    return;
  }
  var url = state.getAttribute("data-status-url");
  var bar = document.getElementById("batch-progress");
  var text = document.getElementById("batch-progress-text");

  function show(batch) {
    if (bar) {
      bar.value = batch.progress;
      bar.textContent = batch.progress + "%";
    }
    if (text) {
      text.textContent = batch.label + ": " + batch.progress + "% done.";
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (batch) {
        if (batch && batch.finished) {
          window.location.reload();
          return;
        }
        if (batch) {
          show(batch);
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 1000);
      });
  }

  window.setTimeout(poll, 1000);
})();
