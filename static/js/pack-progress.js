// While a board pack is being made, ask how far it has got every second, move the progress
// bar, and reload the page once it is finished (which then offers the downloads). Without
// JavaScript the page refreshes itself every few seconds instead.
(function () {
  "use strict";
  var state = document.getElementById("pack-state");
  if (!state || !state.hasAttribute("data-running") || !window.fetch) {
    return;
  }
  var url = state.getAttribute("data-status-url");
  var bar = document.getElementById("pack-progress");
  var text = document.getElementById("pack-progress-text");

  function show(pack) {
    if (bar) {
      bar.value = pack.progress;
      bar.textContent = pack.progress + "%";
    }
    if (text) {
      text.textContent = (pack.stage || pack.label) + ": " + pack.progress + "% done.";
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (pack) {
        if (pack && pack.finished) {
          window.location.reload();
          return;
        }
        if (pack) {
          show(pack);
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 1000);
      });
  }

  window.setTimeout(poll, 1000);
})();
