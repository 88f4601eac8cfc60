/*
 * AI Strategy Workbook — site-wide progressive enhancement.
 * Loaded on every page after uswds.min.js (script-src 'self'; no inline script anywhere).
 * Page-specific behavior lives in its own file (e.g. static/js/wizard.js) loaded through
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

  // A wizard submit that the server saved needs no copy in this tab any more: the page after it
  // lists the ids of saved submits (static/js/wizard.js names each submit and keeps the copy).
  // Runs before wizard.js, so a confirmed copy is never restored over the saved answers.
  function dropSavedDrafts() {
    var listed = document.body.getAttribute("data-saved-submissions");
    if (!listed) {
      return;
    }
    var saved = listed.split(" ");
    try {
      for (var i = sessionStorage.length - 1; i >= 0; i -= 1) {
        var key = sessionStorage.key(i);
        if (!key || key.indexOf("wizard-draft:") !== 0) {
          continue;
        }
        var draft = null;
        try {
          draft = JSON.parse(sessionStorage.getItem(key));
        } catch (e) {
          continue;
        }
        if (draft && draft.submission && saved.indexOf(draft.submission) !== -1) {
          sessionStorage.removeItem(key);
        }
      }
    } catch (e) {
      // sessionStorage unavailable: nothing was kept
    }
  }

  dropSavedDrafts();

  // The wizard's step list is a disclosure, closed on a phone so the questions come first; from
  // the tablet width up it is the side column, always open (templates/workbook/_step_list.html).
  var sideColumn = window.matchMedia("(min-width: 40em)");
  function placeStepList() {
    var lists = document.querySelectorAll("[data-side-steps]");
    for (var i = 0; i < lists.length; i += 1) {
      lists[i].open = sideColumn.matches;
    }
  }
  placeStepList();
  sideColumn.addEventListener("change", placeStepList);

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

  // A link in an error summary (templates/_error_summary.html) focuses its field. Followed as a
  // plain fragment it would scroll the field to the top of the window and its label and message,
  // which sit above it, out of sight; so the field's group is scrolled into view instead.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) {
      return;
    }
    event.preventDefault();
    var group = field.closest(".usa-form-group, .usa-fieldset") || field;
    group.scrollIntoView({ block: "start" });
    // A link to a group of options lands on its first option.
    var control = field.matches("input, select, textarea")
      ? field
      : field.querySelector("input, select, textarea") || field;
    control.focus({ preventScroll: true });
  });
})();
