// Progressive enhancement for the inbox, saved items and blocks: "mark read", "mark all
// read", save/unsave and block/unblock happen in place. Without this script each is a
// plain form that posts and comes back to the same page.
//
// It listens in the capture phase, so a save button that submits the comment tree's
// form="votes" is handled here and never reaches forum.js's vote handler.
(function () {
  "use strict";
  const HEADERS = { "X-Requested-With": "fetch", Accept: "application/json" };
  const OFFLINE = "No answer from the forum: check your connection, then try again.";

  function say(control, message) {
    const place = control.closest("footer, p, form") || control;
    let note = place.nextElementSibling;
    if (!note || !note.classList.contains("refusal")) {
      note = document.createElement("p");
      note.className = "refusal";
      note.setAttribute("role", "alert");
      place.after(note);
    }
    note.textContent = message;
  }

  function post(control, url, data, done) {
    if (control.dataset.busy) return;
    control.dataset.busy = "1";
    control.setAttribute("aria-busy", "true");
    fetch(url, { method: "POST", body: data, headers: HEADERS, credentials: "same-origin" })
      .then(function (response) {
        if (response.redirected) { window.location.href = response.url; return; }
        const type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          say(control, "The forum could not do that (error " + response.status + "). Reload the page and try again.");
          return;
        }
        return response.json().then(function (answer) {
          if (!response.ok) { say(control, answer.error || "The forum could not do that."); return; }
          done(answer);
        });
      }, function () { say(control, OFFLINE); })
      .finally(function () {
        delete control.dataset.busy;
        control.removeAttribute("aria-busy");
      });
  }

  function showUnread(count) {
    document.querySelectorAll("[data-unread-count]").forEach(function (badge) {
      badge.querySelector(".count").textContent = count;
      badge.hidden = count === 0;
    });
    document.querySelectorAll("[data-inbox-unread]").forEach(function (label) { label.textContent = count; });
  }

  function showRead(item) {
    item.classList.remove("unread");
    item.querySelectorAll(".badge.new, form[data-inbox-read]").forEach(function (gone) { gone.remove(); });
  }

  function dataOf(form, submitter) {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    return data;
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    const submitter = event.submitter;
    if (form.matches("form[data-inbox-read]")) {
      event.preventDefault();
      event.stopPropagation();
      post(form, form.action, dataOf(form, submitter), function (answer) {
        showRead(form.closest(".inbox-item"));
        showUnread(answer.unread);
      });
    } else if (form.matches("form[data-inbox-read-all]")) {
      event.preventDefault();
      event.stopPropagation();
      post(form, form.action, dataOf(form, submitter), function (answer) {
        document.querySelectorAll(".inbox-item.unread").forEach(showRead);
        showUnread(answer.unread);
      });
    } else if (submitter && submitter.classList.contains("save-button")) {
      event.preventDefault();
      event.stopPropagation();
      const url = submitter.getAttribute("formaction") || form.action;
      post(submitter, url, dataOf(form, submitter), function (answer) {
        submitter.value = answer.saved ? "0" : "1";
        submitter.textContent = answer.saved ? "unsave" : "save";
      });
    } else if (form.matches("form[data-block]") && submitter) {
      event.preventDefault();
      event.stopPropagation();
      post(submitter, form.action, dataOf(form, submitter), function (answer) {
        submitter.value = answer.blocked ? "0" : "1";
        submitter.textContent = answer.blocked ? "Unblock" : "Block";
        const note = form.querySelector(".blocked-note, .meta");
        if (note) {
          note.className = answer.blocked ? "blocked-note" : "meta";
          note.textContent = answer.blocked ? "You block this member." : "Unblocked.";
        }
      });
    }
  }, true);
})();
