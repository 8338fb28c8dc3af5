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
