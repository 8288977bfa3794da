// The comment form keeps what was typed in localStorage until the comment is
// posted, so a failed request, a closed tab or a crash loses nothing.
//
// A draft is keyed by the form's action and the comment replied to. It is
// marked as sent on submit and dropped when the next page says the comment
// was posted (the success message carries data-comment-posted); a page that
// comes back with an error keeps it.
import { updateCounter } from "./counter.js";

const DRAFT_PREFIX = "newsboard:draft:";
const DRAFTS_KEPT_FOR = 30 * 24 * 3600 * 1000; // a month, in milliseconds

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

// The draft typed in this form before a reload or a failed post, into an empty textarea.
export function restoreDraft(form) {
  const body = form.querySelector("textarea[name=body]");
  if (!storage || !body) return;
  const draft = readDraft(draftKey(form));
  if (draft && draft.text && !body.value.trim()) {
    body.value = draft.text;
    updateCounter(body);
  }
}

// Drafts older than a month go, and so do the ones sent when this page says the
// comment was posted; a draft sent without that message is kept for the next try.
function sweepDrafts() {
  const posted = document.querySelector("[data-comment-posted]");
  for (let index = storage.length - 1; index >= 0; index -= 1) {
    const key = storage.key(index);
    if (!key || !key.startsWith(DRAFT_PREFIX)) continue;
    const draft = readDraft(key);
    const stale = !draft || Date.now() - draft.at > DRAFTS_KEPT_FOR;
    if (stale || (draft.sent && posted)) {
      storage.removeItem(key);
    } else if (draft.sent) {
      draft.sent = false; // the post did not go through: keep the text for the next try
      storage.setItem(key, JSON.stringify(draft));
    }
  }
}

export function startDrafts() {
  if (!storage) return;
  sweepDrafts();
  document.querySelectorAll("form.comment-form").forEach(restoreDraft);

  document.addEventListener("input", function (event) {
    const body = event.target;
    if (!(body instanceof HTMLTextAreaElement) || body.name !== "body") return;
    const form = body.closest("form.comment-form");
    if (form) keepDraft(form);
  });

  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form.comment-form");
    if (!form) return;
    keepDraft(form);
    const key = draftKey(form);
    const draft = readDraft(key);
    if (draft) {
      draft.sent = true;
      storage.setItem(key, JSON.stringify(draft));
    }
  });
}
