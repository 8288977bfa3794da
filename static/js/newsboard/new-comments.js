// Every 30 seconds, while the tab is shown, a note says how many comments
// arrived since the page opened, with a link to them. An answer that is not our
// JSON changes nothing: the next poll tries again.
import { FetchError, fetchJSON } from "./http.js";

const POLL_EVERY = 30000; // milliseconds

function showCount(discussion, note, count) {
  const link = document.createElement("a");
  link.href = "?sort=newest#comments";
  link.textContent = count === 1
    ? discussion.dataset.newOne
    : discussion.dataset.newMany.replace("%s", count);
  note.replaceChildren(link);
  note.hidden = false;
}

export function startNewComments() {
  const discussion = document.getElementById("comments");
  if (!discussion || !discussion.dataset.newCommentsUrl) return;
  const url = new URL(discussion.dataset.newCommentsUrl, window.location.href);
  url.searchParams.set("since", discussion.dataset.since);
  const note = document.createElement("p");
  note.className = "new-comments-note";
  note.setAttribute("role", "status");
  note.hidden = true;
  discussion.querySelector(".discussion-header").after(note);

  async function poll() {
    if (document.hidden) return;
    try {
      const data = await fetchJSON(url);
      if (Number.isInteger(data.count) && data.count > 0) {
        showCount(discussion, note, data.count);
      }
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
    }
  }
  window.setInterval(poll, POLL_EVERY);
}
