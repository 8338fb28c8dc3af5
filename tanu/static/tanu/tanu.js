// tanu's own behaviour. No inline script anywhere (Content-Security-Policy forbids it).
document.addEventListener("DOMContentLoaded", () => {
  // The language picker submits on change for mouse users; the button stays for keyboard users.
  const select = document.getElementById("lang-select");
  if (select) select.addEventListener("change", () => select.form.submit());
  // Print buttons.
  document.querySelectorAll("[data-print]").forEach((el) =>
    el.addEventListener("click", () => window.print()),
  );
});

// Form errors (tanu.lib.form_errors): the summary of a form with errors takes the focus, when
// the page loads and when htmx swaps a form in place, so it is in view and read out.
function focusErrorSummary(root) {
  const summary = root.matches && root.matches("[data-error-summary]")
    ? root
    : root.querySelector && root.querySelector("[data-error-summary]");
  if (summary) summary.focus();
}
document.addEventListener("DOMContentLoaded", () => focusErrorSummary(document));
document.addEventListener("htmx:load", (event) => focusErrorSummary(event.detail.elt));
// A small form inside a page (data-swap-on-error) answers an error with its own re-rendered
// form and status 400; htmx swaps no 4xx answer by default, so these are let through. Every
// other error answer (404, 500, ...) keeps htmx's default: no swap.
document.addEventListener("htmx:beforeSwap", (event) => {
  const { xhr, elt } = event.detail;
  if (xhr.status === 400 && elt.closest && elt.closest("[data-swap-on-error]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
// A link to a form inside a closed <details> (the case page's "Record consent") opens it.
function openTargetDetails() {
  const target = location.hash && document.getElementById(location.hash.slice(1));
  const details = target && target.closest("details");
  if (details) details.open = true;
}
document.addEventListener("DOMContentLoaded", openTargetDetails);
window.addEventListener("hashchange", openTargetDetails);
