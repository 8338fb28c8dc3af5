// The screening while answering. No inline script anywhere (Content-Security-Policy forbids it).
// - On a small screen one dimension shows at a time (CSS hides the others once the form is
//   "paged"); the buttons under each dimension move to the next one and focus its heading.
//   Without JavaScript every dimension shows and the "Save answers" button saves them all.
// - Links to a question (the decisive questions) open its dimension and focus its answer.
// - Each answer saves itself through htmx; while it is on its way it reads "Saving…", and if it
//   did not reach the server it reads "Not saved" with a button to send it again.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("answers-form");
  if (!form) return;
  const sections = Array.from(form.querySelectorAll("section.dimension"));
  if (!sections.length) return;

  function show(section, remember = true) {
    sections.forEach((s) => s.classList.toggle("current", s === section));
    // A reload comes back to this dimension.
    if (remember && window.history.replaceState) {
      window.history.replaceState(null, "", `#${section.id}`);
    }
  }

  function goToDimension(section) {
    show(section);
    const heading = section.querySelector("h2");
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start" });
  }

  function goToQuestion(indicator) {
    show(indicator.closest("section.dimension"));
    const radio =
      indicator.querySelector("input[type=radio]:checked") ||
      indicator.querySelector("input[type=radio]");
    indicator.scrollIntoView({ block: "center" });
    if (radio) radio.focus({ preventScroll: true });
  }

  function goToAssessment() {
    const heading = document.getElementById("assessment-title");
    if (!heading) return;
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start" });
  }

  function follow(hash) {
    const target = hash && document.getElementById(hash.slice(1));
    if (!target) return false;
    if (target.matches("section.dimension")) goToDimension(target);
    else if (target.matches(".indicator")) goToQuestion(target);
    else if (target.id === "assessment") goToAssessment();
    else return false;
    return true;
  }

  // Paged from here on: the first dimension, or the one the address names.
  form.classList.add("paged");
  form.querySelectorAll(".dimension-nav").forEach((nav) => {
    nav.hidden = false;
  });
  const start = window.location.hash && document.getElementById(window.location.hash.slice(1));
  const first = start && start.closest && start.closest("section.dimension");
  show(first || sections[0], false);

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-goto]");
    if (button && form.contains(button)) {
      event.preventDefault();
      follow(`#${button.dataset.goto}`);
      return;
    }
    const link = event.target.closest("a[href^='#']");
    if (link && follow(link.getAttribute("href"))) event.preventDefault();
  });

  // Save states of each answer.
  function setState(indicator, state) {
    indicator.dataset.save = state;
    const out = indicator.querySelector(".save-state");
    if (!out) return;
    out.replaceChildren();
    if (state === "saving" || state === "saved") {
      // Seen, not announced: the outcome bar announces the result of each answer.
      const span = document.createElement("span");
      span.setAttribute("aria-hidden", "true");
      span.textContent = form.dataset[state];
      out.append(span);
    } else if (state === "failed") {
      out.append(document.createTextNode(`${form.dataset.failed} `));
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "retry";
      retry.textContent = form.dataset.retry;
      retry.addEventListener("click", () => {
        const radio = indicator.querySelector("input[type=radio]:checked");
        if (!radio) return;
        radio.focus();
        radio.dispatchEvent(new Event("change", { bubbles: true }));
      });
      out.append(retry);
    }
  }

  const indicatorOf = (event) => {
    const elt = (event.detail && event.detail.elt) || event.target;
    return elt && elt.closest ? elt.closest(".indicator") : null;
  };

  // As soon as an answer is chosen (it may wait in the queue behind another one).
  form.addEventListener("change", (event) => {
    const indicator = event.target.closest(".indicator");
    if (indicator) setState(indicator, "saving");
  });
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const indicator = indicatorOf(event);
    if (!indicator) return;
    indicator.dataset.refused = "";
    setState(indicator, "saving");
  });
  // The server answered but did not keep the answer (the screening changed meanwhile).
  document.body.addEventListener("tanu-answer-not-saved", (event) => {
    const indicator = indicatorOf(event);
    if (indicator) indicator.dataset.refused = "1";
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const indicator = indicatorOf(event);
    if (!indicator) return;
    const saved = event.detail.successful && !indicator.dataset.refused;
    setState(indicator, saved ? "saved" : "failed");
    if (saved) {
      window.setTimeout(() => {
        if (indicator.dataset.save === "saved") setState(indicator, "");
      }, 2500);
    }
  });
  ["htmx:sendError", "htmx:responseError", "htmx:timeout"].forEach((name) =>
    document.body.addEventListener(name, (event) => {
      const indicator = indicatorOf(event);
      if (indicator) setState(indicator, "failed");
    }),
  );
});
