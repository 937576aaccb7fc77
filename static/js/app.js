// Small enhancements only: every page works without JavaScript.
// A second tap on a submit button while the first request is in flight does nothing,
// so a shaky finger cannot send an answer twice (the server refuses duplicates anyway).
for (const form of document.querySelectorAll("form[method='post']")) {
  form.addEventListener("submit", (event) => {
    if (form.dataset.sending === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    for (const button of form.querySelectorAll("button[type='submit']")) {
      button.setAttribute("aria-disabled", "true");
    }
  });
}

// Coming back with the browser's Back button restores the page from memory: re-arm its forms.
window.addEventListener("pageshow", () => {
  for (const form of document.querySelectorAll("form[method='post']")) {
    delete form.dataset.sending;
    for (const button of form.querySelectorAll("button[type='submit']")) button.removeAttribute("aria-disabled");
  }
});
