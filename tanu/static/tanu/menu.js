// The header menu on phones: a button shows and hides the navigation and the language and
// sign-out tools (aria-expanded says which). Loaded in <head> without defer, so that the page
// is laid out for the menu from its first paint; without JavaScript the header shows in full.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".menu-toggle");
  const panel = document.getElementById("top-menu");
  if (!button || !panel) return;
  const isOpen = () => button.getAttribute("aria-expanded") === "true";
  const show = (open) => {
    button.setAttribute("aria-expanded", String(open));
    panel.classList.toggle("open", open);
  };
  button.addEventListener("click", () => show(!isOpen()));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen()) {
      show(false);
      button.focus();
    }
  });
});
