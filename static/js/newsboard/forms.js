// Small helpers for the forms and links our features handle in the page.

// A short message under a form, read out by screen readers (an error from the server).
export function showNote(form, text) {
  let note = form.parentElement.querySelector(".js-note");
  if (!note) {
    note = document.createElement("p");
    note.className = "js-note small text-danger";
    note.setAttribute("role", "status");
    form.after(note);
  }
  note.textContent = text;
}

// The form as the browser would send it without our script. form.submit() sends no
// submit button, so the one pressed (a vote's "up" or "down") goes as a hidden field.
export function submitPlainly(form, submitter) {
  if (submitter && submitter.name) {
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = submitter.name;
    field.value = submitter.value;
    form.append(field);
  }
  form.submit();
}

// A form copied into the page (a reply form, a report form) needs ids of its own:
// every id gets the suffix, and so do the labels and descriptions pointing at them.
export function suffixIds(form, suffix) {
  const renamed = new Set();
  form.querySelectorAll("[id]").forEach(function (element) {
    renamed.add(element.id);
    element.id += suffix;
  });
  form.querySelectorAll("label[for]").forEach(function (label) {
    if (renamed.has(label.htmlFor)) label.htmlFor += suffix;
  });
  form.querySelectorAll("[aria-describedby]").forEach(function (element) {
    const ids = element.getAttribute("aria-describedby").split(/\s+/);
    element.setAttribute(
      "aria-describedby",
      ids.map(function (id) { return renamed.has(id) ? id + suffix : id; }).join(" ")
    );
  });
}

// A plain click on a link: not one that opens a new tab or window.
export function isPlainClick(event) {
  return !(event.ctrlKey || event.metaKey || event.shiftKey);
}
