// While an import is loading or a board pack is being made, ask for its state every second,
// move the progress bar, and reload the page once it has finished (the page then shows the
// outcome, the problems or the downloads). Without JavaScript the page refreshes itself every
// few seconds instead.
//
// The page marks what to follow: <div data-status-url="..." data-progress-for="batch"
// data-running>, with a <progress id="batch-progress"> and its text "#batch-progress-text".
(function () {
  "use strict";
  var state = document.querySelector("[data-status-url][data-progress-for]");
  if (!state || !state.hasAttribute("data-running") || !window.fetch) {
    return;
  }
  var url = state.getAttribute("data-status-url");
  var name = state.getAttribute("data-progress-for");
  var bar = document.getElementById(name + "-progress");
  var text = document.getElementById(name + "-progress-text");

  function show(found) {
    if (bar) {
      bar.value = found.progress;
      bar.textContent = found.progress + "%";
    }
    if (text) {
      text.textContent = (found.stage || found.label) + ": " + found.progress + "% done.";
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (found) {
        if (found && found.finished) {
          window.location.reload();
          return;
        }
        if (found) {
          show(found);
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 1000);
      });
  }

  window.setTimeout(poll, 1000);
})();
