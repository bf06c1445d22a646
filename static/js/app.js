// The app's own behaviour, in a file: the Content-Security-Policy runs no inline script.
// <select data-submit-on-change> submits its form when the choice changes (the filters).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) {
    field.form.submit();
  }
});
