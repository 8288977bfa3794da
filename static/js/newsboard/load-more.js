// More comments in place: the pager's next page appends its threads, and "load
// more replies" swaps the thread for its full version from the thread's own page.
// When that page cannot be fetched or does not hold what was asked for, the link
// is followed as a plain link.
import { FetchError, fetchPage } from "./http.js";
import { isPlainClick } from "./forms.js";

function focusPermalink(comment) {
  const target = comment && comment.querySelector(".comment-permalink");
  if (target) target.focus();
}

// The whole thread from the thread's page, in place of the shortened one.
function showWholeThread(link, page) {
  const thread = link.closest(".comment-tree > .comment");
  const full = thread && page.getElementById(thread.id);
  if (!full) return false;
  thread.replaceWith(document.adoptNode(full));
  focusPermalink(document.getElementById(thread.id));
  return true;
}

// The next page's threads after this page's, and its pager in place of this one.
function showNextPage(link, page) {
  const tree = link.closest("#comments").querySelector(".comment-tree");
  const pager = link.closest(".thread-pager");
  const threads = page.querySelectorAll("#comments .comment-tree > .comment");
  if (!tree || threads.length === 0) return false;
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
  focusPermalink(first);
  return true;
}

async function loadMore(link) {
  link.setAttribute("aria-busy", "true");
  let page;
  try {
    page = await fetchPage(link.href);
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    page = null;
  }
  const shown = page !== null && (link.classList.contains("more-in-thread")
    ? showWholeThread(link, page)
    : showNextPage(link, page));
  if (!shown) window.location.href = link.href;
}

export function startLoadMore() {
  document.addEventListener("click", function (event) {
    const link = event.target.closest(".thread-pager a[rel=next], a.more-in-thread");
    if (!link || !isPlainClick(event)) return;
    event.preventDefault();
    loadMore(link);
  });
}
