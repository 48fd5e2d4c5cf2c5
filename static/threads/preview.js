// "Preview" in place. Without this script the button submits its form (preview=1) and the
// page comes back with the preview above the text as typed; with it, the text goes to
// the button's data-preview endpoint, which answers with the same HTML (the renderer
// and sanitizer that saving uses), shown in the form's preview block. The typed text
// stays where it is either way.
(function () {
  "use strict";
  const HEADERS = { "X-Requested-With": "fetch", Accept: "application/json" };

  function previewBlock(form) {
    let block = form.querySelector("section.preview");
    if (block) return block;
    block = document.createElement("section");
    block.className = "preview";
    block.setAttribute("aria-label", "Preview");
    block.setAttribute("aria-live", "polite");
    const title = document.createElement("h2");
    title.className = "preview-title";
    title.textContent = "Preview";
    const body = document.createElement("div");
    body.className = "body";
    block.append(title, body);
    // Where the server puts it: above a reply form's label, else at the form's top.
    const label = form.classList.contains("reply-form") && form.querySelector(":scope > label");
    const token = form.querySelector(":scope > [name=csrfmiddlewaretoken]");
    if (label) label.before(block);
    else if (token) token.after(block);
    else form.prepend(block);
    return block;
  }

  function say(block, message) {
    const note = document.createElement("p");
    note.className = "preview-note";
    note.textContent = message;
    block.querySelector(".body").replaceChildren(note);
  }

  function preview(form, button) {
    if (button.dataset.busy) return;
    const textarea = form.querySelector("textarea[name=body]");
    const data = new FormData();
    const token = form.querySelector("[name=csrfmiddlewaretoken]");
    if (token) data.append("csrfmiddlewaretoken", token.value);
    data.append("body", textarea ? textarea.value : "");
    button.dataset.busy = "1";
    button.setAttribute("aria-busy", "true");
    const block = previewBlock(form);
    fetch(button.dataset.preview, { method: "POST", body: data, headers: HEADERS, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        // The server's sanitized HTML, as the page itself would show it.
        if (answer.html !== undefined) block.querySelector(".body").innerHTML = answer.html;
        else say(block, answer.error || "No preview: try again.");
      }, function () { say(block, "No answer from the forum: check your connection, then try again."); })
      .finally(function () { delete button.dataset.busy; button.removeAttribute("aria-busy"); });
  }

  // Capturing, so that the other scripts' submit handlers never see a preview.
  document.addEventListener("submit", function (event) {
    const button = event.submitter;
    if (!button || button.name !== "preview" || !button.dataset.preview) return;
    event.preventDefault();
    event.stopPropagation();
    preview(event.target, button);
  }, true);
})();
