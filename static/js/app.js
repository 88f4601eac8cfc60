/*
 * AI Strategy Workbook — site-wide progressive enhancement.
 * Loaded on every page after uswds.min.js (script-src 'self'; no inline script anywhere).
 * Page-specific behaviour lives in its own file (e.g. static/js/wizard.js) loaded through
 * {% block scripts %}.
 */
(function () {
  "use strict";

  // Controls that only work with JavaScript (e.g. the USWDS "Show password" toggle) are
  // rendered with `hidden data-requires-js` so users without JavaScript never see a dead
  // button. Reveal them once scripts are running.
  function revealScriptOnlyControls() {
    var nodes = document.querySelectorAll("[data-requires-js][hidden]");
    for (var i = 0; i < nodes.length; i += 1) {
      nodes[i].hidden = false;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", revealScriptOnlyControls);
  } else {
    revealScriptOnlyControls();
  }

  // Signing out forgets answers kept in this tab for a failed autosave (static/js/wizard.js),
  // so the next person at this computer cannot restore them.
  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute("data-clear-drafts")) {
      return;
    }
    try {
      for (var i = sessionStorage.length - 1; i >= 0; i -= 1) {
        var key = sessionStorage.key(i);
        if (key && key.indexOf("wizard-draft:") === 0) {
          sessionStorage.removeItem(key);
        }
      }
    } catch (e) {
      // sessionStorage unavailable: nothing was kept
    }
  });
})();
