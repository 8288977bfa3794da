// Newsboard's own small script, as ES modules, one a feature. Enhancements only:
// every action is a real form or link and works without it. On the article page:
//   - votes and reports are sent in the background and the page updated in place
//     (votes.js, reports.js);
//   - Reply opens the comment form under the comment instead of a new page (replies.js);
//   - the next page of threads, and the rest of a long thread, load in place (load-more.js);
//   - the comment form counts characters against the limit (counter.js), and keeps
//     what was typed in localStorage until the comment is posted, so a failed
//     request, a closed tab or a crash loses nothing (drafts.js);
//   - every 30 seconds, a note says how many comments arrived since the page opened
//     (new-comments.js).
// Whatever answers a request in the background, http.js returns our views' JSON or
// throws, and the feature falls back to the plain link or form. If a module cannot
// be loaded, none runs, and the page works as it does without JavaScript.
import { startCounters } from "./counter.js";
import { startDrafts } from "./drafts.js";
import { startLoadMore } from "./load-more.js";
import { startNewComments } from "./new-comments.js";
import { startReplies } from "./replies.js";
import { startReports } from "./reports.js";
import { startVotes } from "./votes.js";

startVotes();
startReplies();
startDrafts();
startCounters();
startReports();
startLoadMore();
startNewComments();
