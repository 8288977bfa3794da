// Votes are sent in the background and the counts updated in place. Any answer
// but our JSON (no network, a proxy's error page, "please sign in") sends the
// vote as the plain form would.
import { FetchError, postForm } from "./http.js";
import { showNote, submitPlainly } from "./forms.js";

function showVote(form, data) {
  const up = form.querySelector(".vote-up");
  const down = form.querySelector(".vote-down");
  up.querySelector("[data-vote-count]").textContent = data.up;
  down.querySelector("[data-vote-count]").textContent = data.down;
  up.setAttribute("aria-pressed", String(data.vote === 1));
  down.setAttribute("aria-pressed", String(data.vote === -1));
  up.value = data.vote === 1 ? "clear" : "up";
  down.value = data.vote === -1 ? "clear" : "down";
}

async function sendVote(form, button) {
  const body = new FormData(form);
  body.set("value", button.value);
  let data;
  try {
    data = await postForm(form, body);
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    const message = error.data && error.data.error;
    // 403: not signed in any more, and the plain form takes the reader to sign in.
    if (error.status !== 403 && typeof message === "string") {
      showNote(form, message);
    } else {
      submitPlainly(form, button);
    }
    return;
  }
  if (typeof data.up !== "number" || typeof data.down !== "number") {
    submitPlainly(form, button); // JSON, but not our view's
    return;
  }
  showVote(form, data);
}

export function startVotes() {
  document.addEventListener("submit", function (event) {
    const form = event.target.closest("[data-vote-form]");
    if (!form) return;
    const button = event.submitter;
    if (!button || button.name !== "value") return;
    event.preventDefault();
    sendVote(form, button);
  });
}
