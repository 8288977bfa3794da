// Report opens the report form under the comment (taken from the report page)
// and sends it in the background; the reader is thanked in place. When the form
// cannot be fetched, the link goes to the report page; when the answer is not
// our JSON, the form is sent as a plain form.
import { FetchError, fetchPage, postForm } from "./http.js";
import { isPlainClick, showNote, submitPlainly, suffixIds } from "./forms.js";

async function reportForm(url) {
  try {
    return (await fetchPage(url)).querySelector("form.report-form");
  } catch (error) {
    if (error instanceof FetchError) return null;
    throw error;
  }
}

async function openReportForm(link, card) {
  const form = await reportForm(link.href);
  if (!form) {
    window.location.href = link.href; // the report page works on its own
    return;
  }
  suffixIds(form, "-report-" + card.closest("[data-comment-id]").dataset.commentId);
  form.classList.add("inline-report");
  const cancel = form.querySelector("a.btn-link");
  if (cancel) {
    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      form.remove();
      link.setAttribute("aria-expanded", "false");
      link.focus();
    });
  }
  card.append(form);
  link.setAttribute("aria-expanded", "true");
  const first = form.querySelector("input:not([type=hidden]), select, textarea");
  if (first) first.focus();
}

async function sendReport(form) {
  let data;
  try {
    data = await postForm(form);
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    const message = error.data && error.data.error;
    if (typeof message === "string") {
      showNote(form, message); // the form's own error: choose a reason
    } else {
      submitPlainly(form); // offline or an error page: the plain form, nothing lost
    }
    return;
  }
  if (typeof data.message !== "string") {
    submitPlainly(form); // JSON, but not our view's
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
}

export function startReports() {
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a.report-link");
    if (!link || !isPlainClick(event)) return;
    const card = link.closest(".comment-card");
    if (!card) return;
    event.preventDefault();
    const open = card.querySelector(":scope > form.report-form");
    if (open) {
      open.remove();
      link.setAttribute("aria-expanded", "false");
      return;
    }
    openReportForm(link, card);
  });

  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form.inline-report");
    if (!form) return;
    event.preventDefault();
    sendReport(form);
  });
}
