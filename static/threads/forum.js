// Progressive enhancement: votes, replies and deletes happen in place. Without this
// script every control is a plain form that posts and comes back to #c<id>.
(function () {
  "use strict";
  const HEADERS = { "X-Requested-With": "fetch", Accept: "application/json" };

  // Comment vote buttons belong to one page-level form (form="votes") and name their own
  // URL in formaction, so a page carries one CSRF token, not one per comment.
  function actionOf(form, submitter) {
    return (submitter && submitter.getAttribute("formaction")) || form.action;
  }

  function post(form, submitter) {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    return fetch(actionOf(form, submitter), {
      method: "POST", body: data, headers: HEADERS, credentials: "same-origin",
    });
  }

  function showVote(submitter, vote, score) {
    submitter.parentElement.querySelectorAll("button").forEach(function (button) {
      const on = Number(button.value) === vote;
      button.classList.toggle("on", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    const article = submitter.closest("article.comment");
    if (article) {
      const label = article.querySelector(":scope > details > summary .score");
      label.textContent = score + (Math.abs(score) === 1 ? " point" : " points");
    } else {
      const label = submitter.closest("form").querySelector("[data-thread-score]");
      if (label) label.textContent = score;
    }
  }

  function replyForm(link) {
    const id = link.dataset.reply;
    const article = document.getElementById("c" + id);
    let form = article.querySelector(":scope > details > form.reply-form");
    if (form) { form.querySelector("textarea").focus(); return; }
    const top = document.querySelector("form.top-reply");
    form = document.createElement("form");
    form.method = "post";
    form.className = "reply-form";
    form.action = link.dataset.action;  // the reply URL, as the server names it
    form.innerHTML = '<label for="reply-body-' + id + '">Reply</label>' +
      '<textarea id="reply-body-' + id + '" name="body" rows="4" required></textarea>' +
      '<div><button type="submit">Reply</button> <button type="button" class="link cancel">cancel</button></div>';
    const token = top ? top.querySelector("[name=csrfmiddlewaretoken]") : document.querySelector("[name=csrfmiddlewaretoken]");
    if (token) form.prepend(token.cloneNode());
    article.querySelector(":scope > details > footer").after(form);
    form.querySelector("textarea").focus();
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
      form.reset();
    }
    article.scrollIntoView({ block: "nearest" });
  }

  function showErrors(form, errors) {
    let list = form.querySelector(".errors");
    if (!list) { list = document.createElement("ul"); list.className = "errors"; list.setAttribute("role", "alert"); form.prepend(list); }
    list.innerHTML = "";
    errors.forEach(function (e) { const li = document.createElement("li"); li.textContent = e; list.append(li); });
  }

  // Replies added in place change how many a collapsed comment hides: count on closing.
  document.addEventListener("toggle", function (event) {
    const details = event.target;
    if (details.open || !details.parentElement.matches("article.comment")) return;
    const count = details.querySelectorAll("article.comment").length;
    const label = details.querySelector(":scope > summary .hidden-count");
    if (label) label.textContent = count ? "(" + count + (count === 1 ? " reply" : " replies") + " hidden)" : "";
  }, true);

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
    const cancel = event.target.closest("button.cancel");
    if (cancel) { event.preventDefault(); cancel.closest("form").remove(); }
  });

  document.addEventListener("submit", function (event) {
    const form = event.target;
    const submitter = event.submitter;
    const isVote = form.id === "votes" || form.classList.contains("vote");
    const isReply = form.classList.contains("reply-form");
    const isDelete = form.classList.contains("delete");
    if (!isVote && !isReply && !isDelete) return;
    if (isDelete && !window.confirm("Delete this comment? Replies stay.")) { event.preventDefault(); return; }
    event.preventDefault();
    post(form, submitter).then(function (response) {
      if (response.redirected || response.status === 401 || response.status === 403 && isVote) {
        window.location.href = response.url; return null;
      }
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result) return;
      if (!result.ok) { showErrors(form, result.data.errors || ["Something went wrong."]); return; }
      if (isVote) showVote(submitter, result.data.vote, result.data.score);
      else if (isReply) insertComment(form, result.data.html);
      else {
        const article = form.closest("article.comment");
        article.classList.add("gone");
        article.querySelector(":scope > details > .body").innerHTML = '<p class="gone-text">[deleted]</p>';
        form.remove();
      }
    }).catch(function () {
      // The server answers the same request without the script: let it.
      if (isVote) window.location.href = actionOf(form, submitter);
      else form.submit();
    });
  });
})();
