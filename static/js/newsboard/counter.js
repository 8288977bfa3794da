// The comment form counts characters against the limit (the textarea's
// data-max-length), in the page's language, as the reader types.

export function updateCounter(body) {
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

export function startCounters() {
  document.querySelectorAll("form.comment-form textarea[name=body]").forEach(updateCounter);
  document.addEventListener("input", function (event) {
    const body = event.target;
    if (!(body instanceof HTMLTextAreaElement) || body.name !== "body") return;
    updateCounter(body);
  });
}
