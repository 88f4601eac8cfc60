/*
 * Workbook wizard: progressive enhancement of templates/workbook/section.html.
 * Everything here also works without JavaScript through plain form posts; this file adds
 * conditional questions that toggle as you answer, table rows (cards) added in place, and autosave.
 *
 * Autosave posts the form to data-autosave-url about two seconds after typing stops and when
 * the page is hidden or left. If the session has expired (401/403 or a redirect to sign-in) or
 * someone else saved first (409), the typed text is kept in sessionStorage under
 * "wizard-draft:<user>:<jurisdiction>:<section>" and restored when this section is opened again
 * in the same tab (after signing in). Signing out clears these drafts (static/js/app.js).
 *
 * A plain submit (Save and continue, Back, a jump...) keeps a copy too, named by a fresh id that
 * is posted along. The session may have expired, and then the redirect to sign-in drops the POST;
 * so the copy stays until a page says that this very submit was saved (the server lists saved
 * submit ids on <body data-saved-submissions>, and app.js drops their copies). Otherwise signing
 * in leads back to the section and the copy is restored like any other draft.
 */
(function () {
  "use strict";

  var DRAFT_PREFIX = "wizard-draft:";
  // Page fields a kept draft never carries: a new sign-in brings a new CSRF token.
  // The version and the base (fingerprints of the values the page was built from) are kept
  // apart from the fields, so a restored draft is merged against what it was typed over.
  var SKIP = { csrfmiddlewaretoken: true, version: true, base: true, submission: true };
  var PAUSE_MS = 2000;

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // The conflict page re-posts everything the user typed, so once it is submitted the copy kept
  // in this tab is no longer needed (and restoring it would only raise the conflict again).
  var resolving = document.querySelector("form[data-resolves-draft]");
  if (resolving) {
    resolving.addEventListener("submit", function () {
      try {
        sessionStorage.removeItem(DRAFT_PREFIX + resolving.getAttribute("data-resolves-draft"));
      } catch (e) {
        // nothing stored
      }
    });
  }

  var form = document.getElementById("wizard-form");
  if (!form) {
    return;
  }

  // -- Conditional questions ---------------------------------------------------------------
  // A wrapper with data-show-if-question is shown only while that question's value is one of
  // data-show-if-values ("|"-separated). The server applies the same rule on every save.

  function chosenValues(name) {
    var values = [];
    var inputs = form.elements.namedItem(name);
    if (!inputs) {
      return values;
    }
    var list = inputs.length !== undefined && !inputs.tagName ? inputs : [inputs];
    for (var i = 0; i < list.length; i += 1) {
      var input = list[i];
      var isToggle = input.type === "radio" || input.type === "checkbox";
      if (isToggle ? input.checked : input.value) {
        values.push(input.value);
      }
    }
    return values;
  }

  function applyConditions() {
    var groups = form.querySelectorAll("[data-show-if-question]");
    for (var i = 0; i < groups.length; i += 1) {
      var group = groups[i];
      var wanted = group.getAttribute("data-show-if-values").split("|");
      var chosen = chosenValues(group.getAttribute("data-show-if-question"));
      group.hidden = !chosen.some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
    }
  }

  form.addEventListener("change", applyConditions);

  // -- Progress of each group ---------------------------------------------------------------
  // A grouped section says "3 of 5 answered" under each heading and in its list of groups; the
  // server counts what is saved, and this recounts as answers change. Hidden questions do not
  // count, as on the server.

  function answered(question) {
    var inputs = question.querySelectorAll("input, select, textarea");
    for (var i = 0; i < inputs.length; i += 1) {
      var input = inputs[i];
      if (input.type === "hidden" || input.type === "button") {
        continue;
      }
      if (input.classList.contains("app-row-remove")) {
        continue;
      }
      var isToggle = input.type === "radio" || input.type === "checkbox";
      if (isToggle ? input.checked : input.value.trim()) {
        return true;
      }
    }
    return false;
  }

  function countGroups() {
    var groups = form.querySelectorAll("[data-question-group]");
    for (var i = 0; i < groups.length; i += 1) {
      var questions = groups[i].querySelectorAll(".app-question:not([hidden])");
      var done = 0;
      for (var j = 0; j < questions.length; j += 1) {
        done += answered(questions[j]) ? 1 : 0;
      }
      var text = done + " of " + questions.length + " answered";
      var anchor = groups[i].getAttribute("data-question-group");
      var shown = document.querySelectorAll('[data-group-progress="' + anchor + '"]');
      for (var k = 0; k < shown.length; k += 1) {
        shown[k].textContent = shown[k].hasAttribute("data-in-list") ? "(" + text + ")" : text;
      }
    }
  }

  form.addEventListener("change", countGroups);

  // -- Table rows ----------------------------------------------------------------------------

  function addRow(table) {
    var count = table.querySelector("[data-rows-count]");
    var body = table.querySelector("[data-table-body]");
    var template = table.querySelector("template[data-row-template]");
    var index = parseInt(count.value, 10) || 0;
    var html = template.innerHTML
      .replace(/__row__/g, String(index))
      .replace(/__n__/g, String(index + 1));
    body.insertAdjacentHTML("beforeend", html);
    count.value = String(index + 1);
    return body.lastElementChild;
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) {
      return;
    }
    event.preventDefault();
    var table = button.closest("[data-table]");
    var row = addRow(table);
    var count = parseInt(table.querySelector("[data-rows-count]").value, 10) || 0;
    if (count >= parseInt(button.getAttribute("data-max-rows"), 10)) {
      button.disabled = true; // the server accepts no more rows than this
    }
    var first = row.querySelector("input, select, textarea");
    if (first) {
      first.focus();
    }
  });

  applyConditions();

  // -- Autosave ------------------------------------------------------------------------------

  var autosaveUrl = form.getAttribute("data-autosave-url");
  if (!autosaveUrl) {
    return; // read-only page
  }
  var draftKey = DRAFT_PREFIX + form.getAttribute("data-draft-key");
  var statusLine = form.querySelector("[data-save-status]");
  var versionField = form.querySelector("[data-version]");
  var baseField = form.querySelector("[data-base]");
  var submissionField = form.querySelector("[data-submission]");
  var timer = null;
  var inflight = null;
  var dirty = false;
  var submitting = false;
  var blocked = false; // signed out or in conflict: stop saving, keep the draft

  function say(text) {
    statusLine.textContent = text;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // "6:52 p.m.", as the product writes every time of day.
  function clockTime(when) {
    var hours = when.getHours();
    return (hours % 12 || 12) + ":" + pad(when.getMinutes()) + (hours < 12 ? " a.m." : " p.m.");
  }

  function entries() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      pairs.push([name, value]);
    });
    return pairs;
  }

  function keepDraft(submission) {
    var fields = entries().filter(function (pair) {
      return !SKIP[pair[0]];
    });
    var draft = { version: versionField.value, base: baseField.value, fields: fields };
    if (submission) {
      draft.submission = submission;
    }
    try {
      sessionStorage.setItem(draftKey, JSON.stringify(draft));
    } catch (e) {
      // Storage full or disabled: the message on screen still tells the user what happened.
    }
  }

  function clearDraft() {
    try {
      sessionStorage.removeItem(draftKey);
    } catch (e) {
      // nothing stored
    }
  }

  function reveal(selector) {
    var node = form.querySelector(selector);
    if (node) {
      node.hidden = false;
    }
  }

  function signedOut() {
    blocked = true;
    keepDraft();
    reveal("[data-signed-out]");
    say("Not saved: you have been signed out. Your text is kept in this tab.");
  }

  function conflicted() {
    blocked = true;
    keepDraft();
    reveal("[data-conflict]");
    say("Not saved: someone else saved this section. Your text is kept in this tab.");
  }

  function approved() {
    blocked = true;
    keepDraft();
    reveal("[data-approved]");
    say("Not saved: the section was approved. Your text is kept in this tab.");
  }

  // Keep the step list's tag for this section in step with what was just saved.
  function showStatus(status, label) {
    var tag = document.querySelector("[data-current-status]");
    if (!tag || !status) {
      return;
    }
    tag.className = tag.className.replace(/app-status--[a-z_]+/, "app-status--" + status);
    tag.querySelector("[data-status-label]").textContent = label;
  }

  // Keep the workbook's progress bar in step with the answers just saved.
  function showProgress(answered, total) {
    var label = document.getElementById("workbook-progress-label");
    var bar = document.querySelector("progress.app-progress");
    if (!label || !bar || typeof answered !== "number") {
      return;
    }
    var text = answered + " of " + total + " required questions answered";
    label.textContent = text;
    bar.max = total;
    bar.value = answered;
    bar.textContent = answered + " of " + total;
  }

  function save(keepalive) {
    if (blocked) {
      return Promise.resolve();
    }
    clearTimeout(timer);
    dirty = false;
    var body = new URLSearchParams(entries());
    inflight = fetch(autosaveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      keepalive: Boolean(keepalive),
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (
          response.type === "opaqueredirect" ||
          response.status === 401 ||
          response.status === 403
        ) {
          signedOut();
          return null;
        }
        if (response.status === 409) {
          conflicted();
          return null;
        }
        if (response.status === 423) {
          approved();
          return null;
        }
        if (!response.ok) {
          dirty = true;
          keepDraft();
          say("Not saved yet: the server could not save. Trying again shortly.");
          return null;
        }
        return response.json().then(function (data) {
          versionField.value = String(data.version);
          baseField.value = data.base;
          clearDraft();
          showStatus(data.status, data.status_label);
          showProgress(data.required_answered, data.required_total);
          var when = new Date(data.saved_at);
          var note = Object.keys(data.errors || {}).length
            ? " Some answers need attention and were not saved."
            : "";
          say("Saved at " + clockTime(when) + note);
        });
      })
      .catch(function () {
        dirty = true;
        keepDraft();
        say("Not saved: check your connection. Your text is kept in this tab.");
      })
      .then(function () {
        inflight = null;
        if (dirty && !blocked && !submitting) {
          schedule();
        }
      });
    return inflight;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      // One save at a time: each save needs the version the previous one returned.
      if (inflight) {
        inflight.then(function () {
          if (dirty) {
            save(false);
          }
        });
      } else {
        save(false);
      }
    }, PAUSE_MS);
  }

  function edited(event) {
    // Comment replies sit among the questions but belong to their own forms (HTML `form`
    // attribute): typing one is not an edit of the answers.
    if (event.target.form !== form) {
      return;
    }
    dirty = true;
    if (blocked) {
      keepDraft();
    } else {
      schedule();
    }
  }

  form.addEventListener("input", edited);
  form.addEventListener("change", edited);

  function flush() {
    if (!dirty || submitting) {
      return;
    }
    if (blocked || inflight) {
      keepDraft();
      return;
    }
    save(true);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flush();
    }
  });
  window.addEventListener("pagehide", flush);

  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (inflight) {
      // Wait for the running autosave so this post carries the version it returned.
      event.preventDefault();
      var submitter = event.submitter;
      inflight.then(function () {
        form.requestSubmit(submitter);
      });
      return;
    }
    submitting = true;
    // Kept until the page that comes back confirms this submit (see the top of this file).
    submissionField.value = newSubmissionId();
    keepDraft(submissionField.value);
  });

  function newSubmissionId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return (b < 16 ? "0" : "") + b.toString(16);
      })
      .join("");
  }

  // -- Restoring a kept draft ------------------------------------------------------------------

  function restore() {
    var raw = null;
    try {
      raw = sessionStorage.getItem(draftKey);
    } catch (e) {
      return;
    }
    if (!raw) {
      return;
    }
    var draft = JSON.parse(raw);
    var byName = {};
    draft.fields.forEach(function (pair) {
      (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]);
    });
    var unchanged = JSON.stringify(draft.fields) === JSON.stringify(entries().filter(
      function (pair) { return !SKIP[pair[0]]; }
    ));
    if (unchanged) {
      clearDraft(); // the page already shows exactly what was kept
      return;
    }
    var tables = form.querySelectorAll("[data-table]");
    for (var t = 0; t < tables.length; t += 1) {
      var rowsName = tables[t].getAttribute("data-table") + "--rows";
      var wanted = parseInt((byName[rowsName] || ["0"])[0], 10) || 0;
      var count = tables[t].querySelector("[data-rows-count]");
      while ((parseInt(count.value, 10) || 0) < wanted) {
        addRow(tables[t]);
      }
    }
    var elements = form.elements;
    for (var i = 0; i < elements.length; i += 1) {
      var el = elements[i];
      if (!el.name || SKIP[el.name] || el.type === "hidden" || el.type === "submit") {
        continue;
      }
      var values = byName[el.name] || [];
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = values.indexOf(el.value) !== -1;
      } else {
        el.value = values.length ? values[0] : "";
      }
    }
    versionField.value = draft.version;
    if (draft.base) {
      baseField.value = draft.base;
    }
    applyConditions();
    say("Restored the text you typed before. Saving…");
    dirty = true;
    save(false);
  }

  restore();
})();
