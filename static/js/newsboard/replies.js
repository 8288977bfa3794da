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
  submit.textContent = link.dataset.replyLabel || submit.textContent;
  card.append(form);
  restoreDraft(form); // a reply typed before a reload or a failed post
  updateCounter(body); // this form's count, not the copied form's
  link.setAttribute("aria-expanded", "true");
  body.focus();
}

export function startReplies() {
  const discussion = document.getElementById("comments");
  const mainForm = discussion && discussion.querySelector("form.comment-form");
  if (!mainForm) return;
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
