// Reply opens the comment form under the comment instead of a new page: a copy of
// the form at the top of the discussion, posted as a plain form.
import { updateCounter } from "./counter.js";
import { restoreDraft } from "./drafts.js";
import { isPlainClick, suffixIds } from "./forms.js";

function openReplyForm(mainForm, link, item, card) {
  const form = mainForm.cloneNode(true);
  form.classList.add("inline-reply");
  suffixIds(form, "-reply-" + item.dataset.commentId);
  form.querySelectorAll(".alert").forEach(function (alert) {
    alert.remove();
  });
  const body = form.querySelector("textarea[name=body]");
  body.value = "";
  form.querySelector("input[name=parent]").value = item.dataset.commentId;
  const submit = form.querySelector("button[type=submit]");
  // The label is said once for the whole tree, not on every reply link.
  const labelled = link.closest("[data-reply-label]");
  submit.textContent = (labelled && labelled.dataset.replyLabel) || submit.textContent;
  card.append(form);
  restoreDraft(form); // a reply typed before a reload or a failed post
  updateCounter(body); // this form's count, not the copied form's
  link.setAttribute("aria-expanded", "true");
  body.focus();
}

// A reply link opens a form in place only with this script, so it is only here that it
// says so (aria-expanded): for the links on the page now, and for any a thread loaded
// later, when it first gets the focus.
function markDisclosure(link) {
  if (!link.hasAttribute("aria-expanded")) link.setAttribute("aria-expanded", "false");
}

export function startReplies() {
  const discussion = document.getElementById("comments");
  const mainForm = discussion && discussion.querySelector("form.comment-form");
  if (!mainForm) return;
  discussion.querySelectorAll("a.reply-link").forEach(markDisclosure);
  document.addEventListener("focusin", function (event) {
    const link = event.target.closest && event.target.closest("a.reply-link");
    if (link) markDisclosure(link);
  });
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a.reply-link");
    if (!link || !isPlainClick(event)) return;
    const item = link.closest("[data-comment-id]");
    const card = link.closest(".comment-card");
    if (!item || !card) return;
    event.preventDefault();
    const open = card.querySelector(":scope > form.inline-reply");
    if (open) {
      open.remove();
      link.setAttribute("aria-expanded", "false");
      return;
    }
    openReplyForm(mainForm, link, item, card);
  });
}
