// Newsboard's own small script. Enhancements only: every action is a real form or
// link and works without it. On the article page:
//   - votes and reports are sent in the background and the page updated in place;
//   - Reply opens the comment form under the comment instead of a new page;
//   - the next page of threads, and the rest of a long thread, load in place;
//   - the comment form counts characters against the limit, and keeps what was
//     typed in localStorage until the comment is posted, so a failed request,
//     a closed tab or a crash loses nothing;
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

  // A form copied into the page (a reply form, a report form) needs ids of its own:
  // every id gets the suffix, and so do the labels and descriptions pointing at them.
  function suffixIds(form, suffix) {
    const renamed = new Set();
    form.querySelectorAll("[id]").forEach(function (element) {
      renamed.add(element.id);
      element.id += suffix;
    });
    form.querySelectorAll("label[for]").forEach(function (label) {
      if (renamed.has(label.htmlFor)) label.htmlFor += suffix;
    });
    form.querySelectorAll("[aria-describedby]").forEach(function (element) {
      const ids = element.getAttribute("aria-describedby").split(/\s+/);
      element.setAttribute(
        "aria-describedby",
        ids.map(function (id) { return renamed.has(id) ? id + suffix : id; }).join(" ")
      );
    });
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
      suffixIds(form, "-reply-" + item.dataset.commentId);
      form.querySelectorAll(".alert").forEach(function (alert) {
        alert.remove();
      });
      const body = form.querySelector("textarea[name=body]");
      body.value = "";
      form.querySelector("input[name=parent]").value = item.dataset.commentId;
      const submit = form.querySelector("button[type=submit]");
      submit.textContent = link.dataset.replyLabel || submit.textContent;
      card.append(form);
      restoreDraft(form); // a reply typed before a reload or a failed post
      updateCounter(body); // this form's count, not the copied form's
      link.setAttribute("aria-expanded", "true");
      body.focus();
    });
  }

  // Drafts and the character counter -------------------------------------------
  // A draft is keyed by the form's action and the comment replied to. It is
  // marked as sent on submit and dropped when the next page says the comment
  // was posted (the success message carries data-comment-posted); a page that
  // comes back with an error keeps it.
  const DRAFT_PREFIX = "newsboard:draft:";
  const storage = (function () {
    try {
      const probe = DRAFT_PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; // private mode or storage disabled: no drafts, everything else works
    }
  })();

  function draftKey(form) {
    const parent = form.querySelector("input[name=parent]");
    const action = form.getAttribute("action") || window.location.pathname;
    return DRAFT_PREFIX + action + ":" + (parent ? parent.value : "");
  }

  function readDraft(key) {
    try {
      return JSON.parse(storage.getItem(key));
    } catch (error) {
      return null;
    }
  }

  function keepDraft(form) {
    const body = form.querySelector("textarea[name=body]");
    if (!storage || !body) return;
    const key = draftKey(form);
    if (body.value.trim()) {
      storage.setItem(key, JSON.stringify({ text: body.value, sent: false, at: Date.now() }));
    } else {
      storage.removeItem(key);
    }
  }

  function restoreDraft(form) {
    const body = form.querySelector("textarea[name=body]");
    if (!storage || !body) return;
    const draft = readDraft(draftKey(form));
    if (draft && draft.text && !body.value.trim()) {
      body.value = draft.text;
      updateCounter(body);
    }
  }

  if (storage) {
    const posted = document.querySelector("[data-comment-posted]");
    for (let index = storage.length - 1; index >= 0; index -= 1) {
      const key = storage.key(index);
      if (!key || !key.startsWith(DRAFT_PREFIX)) continue;
      const draft = readDraft(key);
      const stale = !draft || Date.now() - draft.at > 30 * 24 * 3600 * 1000;
      if (stale || (draft.sent && posted)) {
        storage.removeItem(key);
      } else if (draft.sent) {
        draft.sent = false; // the post did not go through: keep the text for the next try
        storage.setItem(key, JSON.stringify(draft));
      }
    }
  }

  function updateCounter(body) {
    const limit = Number(body.dataset.maxLength);
    if (!limit) return;
    let counter = body.parentElement.querySelector(".char-counter");
    if (!counter) {
      counter = document.createElement("p");
      counter.className = "char-counter small";
      counter.id = body.id + "-counter";
      body.after(counter);
      body.setAttribute(
        "aria-describedby",
        ((body.getAttribute("aria-describedby") || "") + " " + counter.id).trim()
      );
    }
    const length = body.value.length;
    const format = new Intl.NumberFormat(document.documentElement.lang || undefined);
    counter.textContent = (body.dataset.counter || "%(length)s / %(limit)s")
      .replace("%(length)s", format.format(length))
      .replace("%(limit)s", format.format(limit));
    const over = length > limit;
    counter.classList.toggle("over-limit", over);
    // Said aloud only when it matters: on crossing the limit.
    counter.setAttribute("aria-live", over ? "polite" : "off");
  }

  document.querySelectorAll("form.comment-form").forEach(function (form) {
    const body = form.querySelector("textarea[name=body]");
    if (!body) return;
    restoreDraft(form);
    updateCounter(body);
  });

  document.addEventListener("input", function (event) {
    const body = event.target;
    if (!(body instanceof HTMLTextAreaElement) || body.name !== "body") return;
    updateCounter(body);
    const form = body.closest("form.comment-form");
    if (form) keepDraft(form);
  });

  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form.comment-form");
    if (!form || !storage) return;
    keepDraft(form);
    const key = draftKey(form);
    const draft = readDraft(key);
    if (draft) {
      draft.sent = true;
      storage.setItem(key, JSON.stringify(draft));
    }
  });

  // Reports in place ------------------------------------------------------------
  async function fetchDocument(url) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    return new DOMParser().parseFromString(await response.text(), "text/html");
  }

  document.addEventListener("click", async function (event) {
    const link = event.target.closest("a.report-link");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const card = link.closest(".comment-card");
    if (!card) return;
    event.preventDefault();
    const open = card.querySelector(":scope > form.report-form");
    if (open) {
      open.remove();
      link.setAttribute("aria-expanded", "false");
      return;
    }
    let form;
    try {
      form = (await fetchDocument(link.href)).querySelector("form.report-form");
    } catch (error) {
      form = null;
    }
    if (!form) {
      window.location.href = link.href; // the report page works on its own
      return;
    }
    suffixIds(form, "-report-" + card.closest("[data-comment-id]").dataset.commentId);
    form.classList.add("inline-report");
    const cancel = form.querySelector("a.btn-link");
    if (cancel) {
      cancel.addEventListener("click", function (cancelEvent) {
        cancelEvent.preventDefault();
        form.remove();
        link.setAttribute("aria-expanded", "false");
        link.focus();
      });
    }
    card.append(form);
    link.setAttribute("aria-expanded", "true");
    const first = form.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  });

  document.addEventListener("submit", async function (event) {
    const form = event.target.closest("form.inline-report");
    if (!form) return;
    event.preventDefault();
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
        credentials: "same-origin",
      });
    } catch (error) {
      form.submit(); // offline or blocked: the plain form, nothing lost
      return;
    }
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      form.submit();
      return;
    }
    if (!response.ok) {
      showNote(form, data.error);
      return;
    }
    const card = form.closest(".comment-card");
    const note = document.createElement("p");
    note.className = "js-note small report-sent";
    note.setAttribute("role", "status");
    note.textContent = data.message;
    form.replaceWith(note);
    const link = card.querySelector("a.report-link");
    if (link) link.remove();
  });

  // More comments in place --------------------------------------------------------
  // The pager's next page appends its threads; "load more replies" swaps the
  // thread for its full version from the thread's own page.
  document.addEventListener("click", async function (event) {
    const link = event.target.closest(".thread-pager a[rel=next], a.more-in-thread");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    link.setAttribute("aria-busy", "true");
    let page;
    try {
      page = await fetchDocument(link.href);
    } catch (error) {
      window.location.href = link.href;
      return;
    }
    if (link.classList.contains("more-in-thread")) {
      const thread = link.closest(".comment-tree > .comment");
      const full = page.getElementById(thread.id);
      if (!full) {
        window.location.href = link.href;
        return;
      }
      thread.replaceWith(document.adoptNode(full));
      const again = document.getElementById(thread.id);
      const focusTarget = again && again.querySelector(".comment-permalink");
      if (focusTarget) focusTarget.focus();
      return;
    }
    const tree = link.closest("#comments").querySelector(".comment-tree");
    const pager = link.closest(".thread-pager");
    const threads = page.querySelectorAll("#comments .comment-tree > .comment");
    let first = null;
    threads.forEach(function (thread) {
      if (document.getElementById(thread.id)) return; // already shown (the list moved on)
      const adopted = document.adoptNode(thread);
      tree.append(adopted);
      first = first || adopted;
    });
    const nextPager = page.querySelector("#comments .thread-pager");
    if (nextPager && nextPager.querySelector("a[rel=next]")) {
      pager.replaceWith(document.adoptNode(nextPager));
    } else {
      pager.remove();
    }
    const focusTarget = first && first.querySelector(".comment-permalink");
    if (focusTarget) focusTarget.focus();
  });

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
