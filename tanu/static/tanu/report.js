// The visit report while writing it. No inline script anywhere (Content-Security-Policy forbids it).
// - On a small screen one section shows at a time (CSS hides the others once the form is
//   "paged"): the section the address names (#report-people after saving a section), or the
//   first one with an error.
// - A draft is saved by the server on each section's button; a recorded report being corrected
//   moves between sections here (buttons with data-goto) and is saved once at the end.
// Without JavaScript every section shows, and each button saves them all.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("report-form");
  if (!form) return;
  const sections = Array.from(form.querySelectorAll("section.report-step"));
  if (!sections.length) return;

  function show(section, focus) {
    sections.forEach((s) => s.classList.toggle("current", s === section));
    if (window.history.replaceState) window.history.replaceState(null, "", `#${section.id}`);
    if (focus) {
      const heading = section.querySelector("h2");
      heading.focus({ preventScroll: true });
      heading.scrollIntoView({ block: "start" });
    }
  }

  form.classList.add("paged");
  form.querySelectorAll("button[data-goto]").forEach((button) => {
    button.hidden = false;
  });
  const error = form.querySelector(".has-error");
  const named = window.location.hash && document.getElementById(window.location.hash.slice(1));
  const start =
    (error && error.closest("section.report-step")) ||
    (named && named.closest && named.closest("section.report-step")) ||
    sections[0];
  show(start, Boolean(named || error));

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-goto]");
    if (!button) return;
    const target = document.getElementById(button.dataset.goto);
    if (!target) return;
    event.preventDefault();
    show(target, true);
  });
});
