// Newsboard's own small script. Enhancements only: every action is a real form or
// link and works without it. Three of them, on the article page:
//   - votes are sent in the background and the counts updated in place;
//   - Reply opens the comment form under the comment instead of a new page;
//   - every 30 seconds, a note says how many comments arrived since the page opened.
(function () {
  "use strict";

  const discussion = document.getElementById("comments");

  function csrfToken(form) {
    const field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // Votes ------------------------------------------------------------------
  document.addEventListener("submit", async function (event) {
    const form = event.target.closest("[data-vote-form]");
    if (!form) return;
    const button = event.submitter;
    if (!button || button.name !== "value") return;
    event.preventDefault();
    const body = new FormData(form);
    body.set("value", button.value);
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: body,
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
        credentials: "same-origin",
      });
    } catch (error) {
      form.submit(); // offline or blocked: fall back to the plain form
      return;
    }
    if (response.status === 403) {
      form.submit(); // not signed in: the server sends the reader to sign in
      return;
    }
    const data = await response.json();
    if (!response.ok) {
      showNote(form, data.error);
      return;
    }
    const up = form.querySelector(".vote-up");
    const down = form.querySelector(".vote-down");
    up.querySelector("[data-vote-count]").textContent = data.up;
    down.querySelector("[data-vote-count]").textContent = data.down;
    up.setAttribute("aria-pressed", String(data.vote === 1));
    down.setAttribute("aria-pressed", String(data.vote === -1));
    up.value = data.vote === 1 ? "clear" : "up";
    down.value = data.vote === -1 ? "clear" : "down";
  });

  function showNote(form, text) {
    let note = form.parentElement.querySelector(".js-note");
    if (!note) {
      note = document.createElement("p");
      note.className = "js-note small text-danger";
      note.setAttribute("role", "status");
      form.after(note);
    }
    note.textContent = text;
  }

  // Inline reply ---------------------------------------------------------------
  const mainForm = discussion && discussion.querySelector("form.comment-form");
  if (mainForm) {
    document.addEventListener("click", function (event) {
      const link = event.target.closest("a.reply-link");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const item = link.closest("[data-comment-id]");
      const card = link.closest(".comment-card");
      if (!item || !card) return;
      event.preventDefault();
      let form = card.querySelector(":scope > form.inline-reply");
      if (form) {
        form.remove();
        link.setAttribute("aria-expanded", "false");
        return;
      }
      form = mainForm.cloneNode(true);
      form.classList.add("inline-reply");
      form.querySelectorAll("[id]").forEach(function (element) {
        element.id = element.id + "-reply-" + item.dataset.commentId;
      });
      form.querySelectorAll("label[for]").forEach(function (label) {
        label.htmlFor = label.htmlFor + "-reply-" + item.dataset.commentId;
      });
      form.querySelectorAll(".alert").forEach(function (alert) {
        alert.remove();
      });
      form.querySelector("textarea[name=body]").value = "";
      form.querySelector("input[name=parent]").value = item.dataset.commentId;
      const submit = form.querySelector("button[type=submit]");
      submit.textContent = link.dataset.replyLabel || submit.textContent;
      card.append(form);
      link.setAttribute("aria-expanded", "true");
      form.querySelector("textarea[name=body]").focus();
    });
  }

  // New comments since the page opened -------------------------------------------
  if (discussion && discussion.dataset.newCommentsUrl && window.fetch) {
    const url = new URL(discussion.dataset.newCommentsUrl, window.location.href);
    url.searchParams.set("since", discussion.dataset.since);
    const note = document.createElement("p");
    note.className = "new-comments-note";
    note.setAttribute("role", "status");
    note.hidden = true;
    discussion.querySelector(".discussion-header").after(note);

    const poll = async function () {
      if (document.hidden) return;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const data = await response.json();
        if (data.count > 0) {
          const link = document.createElement("a");
          link.href = "?sort=newest#comments";
          link.textContent = data.count === 1
            ? discussion.dataset.newOne
            : discussion.dataset.newMany.replace("%s", data.count);
          note.replaceChildren(link);
          note.hidden = false;
        }
      } catch (error) {
        // the next poll tries again
      }
    };
    window.setInterval(poll, 30000);
  }
})();
