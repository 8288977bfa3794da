// Talking to the server in the background. Whatever answers (our views, a proxy's
// 502 page, an empty 500, no network at all), these either return what our views
// said or throw a FetchError: a feature catches it and falls back to the plain
// link or form, which is the real navigation or submission.

export class FetchError extends Error {
  // status is 0 when no answer came; data is the JSON error our view sent, if any.
  constructor(message, { status = 0, data = null } = {}) {
    super(message);
    this.name = "FetchError";
    this.status = status;
    this.data = data;
  }
}

function mediaType(response) {
  return (response.headers.get("Content-Type") || "").split(";")[0].trim().toLowerCase();
}

async function send(url, options) {
  try {
    return await fetch(url, { credentials: "same-origin", ...options });
  } catch (error) {
    throw new FetchError(`no answer from ${url}: ${error.message}`);
  }
}

// The JSON our view sent. An answer with an error status that is still our JSON
// (a form error, "please sign in") throws a FetchError carrying it in `data`.
export async function fetchJSON(url, options = {}) {
  const headers = { Accept: "application/json", ...options.headers };
  const response = await send(url, { ...options, headers });
  const answer = `${response.status} ${response.statusText} from ${url}`;
  if (mediaType(response) !== "application/json") {
    throw new FetchError(`${answer} is not JSON`, { status: response.status });
  }
  let data;
  try {
    data = await response.json();
  } catch (error) {
    throw new FetchError(`${answer} is broken JSON`, { status: response.status });
  }
  if (!response.ok || data === null || typeof data !== "object") {
    throw new FetchError(answer, { status: response.status, data });
  }
  return data;
}

// A page of the site, parsed, from a successful HTML answer only.
export async function fetchPage(url) {
  const response = await send(url, {});
  const answer = `${response.status} ${response.statusText} from ${url}`;
  if (!response.ok) throw new FetchError(answer, { status: response.status });
  if (mediaType(response) !== "text/html") {
    throw new FetchError(`${answer} is not HTML`, { status: response.status });
  }
  return new DOMParser().parseFromString(await response.text(), "text/html");
}

// A form posted in the background, as the browser would post it, with the CSRF token.
export function postForm(form, body = new FormData(form)) {
  const token = form.querySelector("input[name=csrfmiddlewaretoken]");
  return fetchJSON(form.action, {
    method: "POST",
    body,
    headers: { "X-CSRFToken": token ? token.value : "" },
  });
}
