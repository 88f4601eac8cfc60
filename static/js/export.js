/*
 * Export page: polls the JSON status endpoint until the file is ready or has failed, then
 * shows the download link or the error. Without JavaScript the page offers a refresh link.
 */
(function () {
  "use strict";

  var root = document.getElementById("export-status");
  if (!root || !window.fetch) {
    return;
  }
  var url = root.getAttribute("data-status-url");
  var label = root.querySelector("[data-export-label]");
  var error = root.querySelector("[data-export-error]");
  var download = root.querySelector("[data-export-download]");
  var link = root.querySelector("[data-export-link]");
  var refresh = root.querySelector("[data-export-refresh]");
  var delay = 1000;

  function show(state) {
    label.textContent = state.label;
    if (state.error) {
      error.textContent = state.error;
      error.hidden = false;
    }
    if (state.download_url) {
      link.href = state.download_url;
      link.textContent = "Download " + state.filename;
      download.hidden = false;
    }
    if (state.finished) {
      refresh.hidden = true;
      if (state.status === "failed") {
        window.location.reload(); // shows the "Try again" button rendered by the server
      }
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (!state.finished) {
          delay = Math.min(delay * 1.5, 5000);
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  if (refresh && !refresh.hidden) {
    window.setTimeout(poll, delay);
  }
})();
