// Progressive enhancement: votes, replies and deletes happen in place. Without this
// script every control is a plain form that posts and comes back to #c<id>, and delete
// is a link to a page that asks first.
//
// Each action sends exactly one request and never sends it again by itself. When the
// forum refuses (a vote on your own comment, a ban, a locked thread), its answer
// {"error": "..."} is said next to the control, and a reply keeps its typed text.
(function () {
  "use strict";
  const HEADERS = { "X-Requested-With": "fetch", Accept: "application/json" };
  const OFFLINE = "No answer from the forum: check your connection, then try again.";

  // Comment vote buttons belong to one page-level form (form="votes") and name their own
  // URL in formaction, so a page carries one CSRF token, not one per comment.
  function actionOf(form, submitter) {
    return (submitter && submitter.getAttribute("formaction")) || form.action;
  }

  function send(url, data) {
    return fetch(url, { method: "POST", body: data, headers: HEADERS, credentials: "same-origin" });
  }

  // The answer as {ok, data}, or null when it was a redirect to the login page (a
  // reader who is not logged in): then the browser goes there, with `next` back here.
  function read(response) {
    if (response.redirected) { window.location.href = response.url; return null; }
    const type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") !== -1) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }
    const error = "The forum could not do that (error " + response.status + "). Reload the page and try again.";
    return { ok: false, data: { error: error } };
  }

  // One message element per control's place, with role="alert" so it is read out: in a
  // reply form above its textarea; for votes and delete under the comment's actions (or
  // the thread's heading). A second refusal replaces the first.
  function noteOf(control, create) {
    const form = control.closest("form.reply-form");
    if (form) {
      let note = form.querySelector(":scope > .refusal");
      if (!note && create) { note = makeNote(); form.prepend(note); }
      return note;
    }
    const place = control.closest("footer.actions, header.thread-head, article.thread-row") || control;
    const next = place.nextElementSibling;
    if (next && next.classList.contains("refusal")) return next;
    if (!create) return null;
    const note = makeNote();
    place.after(note);
    return note;
  }

  function makeNote() {
    const note = document.createElement("p");
    note.className = "refusal";
    note.setAttribute("role", "alert");
    return note;
  }

  function say(control, message) { noteOf(control, true).textContent = message; }

  function unsay(control) {
    const note = noteOf(control, false);
    if (note) note.remove();
  }

  // A control waits for its answer before it can send again.
  function once(control, work) {
    if (control.dataset.busy) return;
    control.dataset.busy = "1";
    control.setAttribute("aria-busy", "true");
    work().finally(function () {
      delete control.dataset.busy;
      control.removeAttribute("aria-busy");
    });
  }

  // Send, then either `done(data)` or say why not; a network failure is said, not retried.
  function act(control, url, data, done) {
    once(control, function () {
      return send(url, data).then(read).then(function (result) {
        if (!result) return;
        if (!result.ok) { say(control, result.data.error || "The forum could not do that."); return; }
        unsay(control);
        done(result.data);
      }, function () { say(control, OFFLINE); });
    });
  }

  // shown: the score as the page writes it ("5 points", "score hidden"; a thread's number).
  function showVote(submitter, vote, shown) {
    submitter.parentElement.querySelectorAll("button").forEach(function (button) {
      const on = Number(button.value) === vote;
      button.classList.toggle("on", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    const article = submitter.closest("article.comment");
    if (article) {
      const label = article.querySelector(":scope > .meta .score");
      label.textContent = shown;
    } else {
      const label = submitter.closest("form").querySelector("[data-thread-score]");
      if (label) label.textContent = shown;
    }
  }

  // The reply form is the server's own, kept once per page in
  // <template id="reply-form-template"> (threads.presentation.reply_form_html, with its
  // CSRF token): a copy only learns which comment it answers, so its label, length limit
  // and button are the server's. Without the template, the link opens the server's form.
  function replyForm(link) {
    const id = link.dataset.reply;
    const article = document.getElementById("c" + id);
    let form = article.querySelector(":scope > details > form.reply-form");
    if (form) { form.querySelector("textarea").focus(); return; }
    const template = document.getElementById("reply-form-template");
    if (!template) { window.location.href = link.href; return; }
    form = template.content.firstElementChild.cloneNode(true);
    form.action = link.dataset.action;  // the reply URL, as the server names it
    form.querySelector("label").htmlFor = "reply-body-" + id;
    form.querySelector("textarea").id = "reply-body-" + id;
    form.querySelector(".reply-to").textContent = article.querySelector(":scope > .meta .author").textContent;
    article.querySelector(":scope > details > footer").after(form);
    form.querySelector("textarea").focus();
  }

  // "(N replies hidden)" is the server's count of all replies under a comment, loaded
  // or not; a reply added here counts once in each comment above it, as the server
  // will count it on the next load. Collapsing and expanding change nothing.
  function countNewReply(article) {
    let above = article.parentElement.closest("article.comment");
    while (above) {
      const label = above.querySelector(":scope > details > summary .hidden-count");
      if (label) {
        const count = Number((label.textContent.match(/\d+/) || ["0"])[0]) + 1;
        label.textContent = "(" + count + (count === 1 ? " reply" : " replies") + " hidden)";
      }
      above = above.parentElement.closest("article.comment");
    }
  }

  function insertComment(form, html) {
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    const article = holder.querySelector("article");
    const parent = form.closest("article.comment");
    if (parent) {
      parent.querySelector(":scope > details > .replies").append(article);
      form.remove();
    } else {
      document.getElementById("tree").prepend(article);
      form.querySelector("textarea").value = "";
      form.querySelectorAll(".errors, .kept").forEach(function (old) { old.remove(); });
    }
    countNewReply(article);
    article.scrollIntoView({ block: "nearest" });
  }

  function showDeleted(link) {
    const article = link.closest("article.comment");
    article.classList.add("gone");
    article.querySelector(":scope > details > .body").innerHTML = '<p class="gone-text">[deleted]</p>';
    article.querySelectorAll(":scope > details > footer :is(.reply-link, .edit-link, .delete-link)")
      .forEach(function (gone) { gone.remove(); });
  }

  // Delete: without the script the link opens a page that asks; here the browser asks.
  function deleteInPlace(link) {
    if (link.dataset.busy || !window.confirm("Delete this comment? Its text goes; replies stay.")) return;
    const data = new FormData();
    const token = document.querySelector("[name=csrfmiddlewaretoken]");
    if (token) data.append("csrfmiddlewaretoken", token.value);
    act(link, link.href, data, function () { showDeleted(link); });
  }

  // "load more comments (N)": without the script a plain link to the next batch's page;
  // with it, the batch's HTML takes the link's place.
  function loadMore(link) {
    if (link.dataset.busy) return;
    link.dataset.busy = "1";
    link.setAttribute("aria-busy", "true");
    fetch(link.href, { headers: HEADERS, credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (data) {
      const holder = document.createElement("template");
      holder.innerHTML = data.html;
      link.closest("p.more").replaceWith(holder.content);
    }).catch(function () { window.location.href = link.href; });
  }

  document.addEventListener("click", function (event) {
    const more = event.target.closest("a[data-more]");
    if (more) { event.preventDefault(); loadMore(more); return; }
    const link = event.target.closest("a.reply-link");
    if (link) { event.preventDefault(); replyForm(link); return; }
    const remove = event.target.closest("a.delete-link");
    if (remove) { event.preventDefault(); deleteInPlace(remove); return; }
    const cancel = event.target.closest("button.cancel");
    if (cancel) { event.preventDefault(); cancel.closest("form").remove(); }
  });

  document.addEventListener("submit", function (event) {
    const form = event.target;
    const submitter = event.submitter;
    const isVote = (form.id === "votes" || form.classList.contains("vote")) && submitter;
    const isReply = form.classList.contains("reply-form");
    if (!isVote && !isReply) return;
    event.preventDefault();
    const data = new FormData(form);
    if (isVote) {
      if (submitter.name) data.append(submitter.name, submitter.value);
      act(submitter, actionOf(form, submitter), data, function (answer) {
        showVote(submitter, answer.vote, answer.shown);
      });
    } else {
      act(form, form.action, data, function (answer) { insertComment(form, answer.html); });
    }
  });
})();
