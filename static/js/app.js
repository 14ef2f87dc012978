// KOLHub's own small script: dropdown menus, dismissable messages, confirm prompts.
// Loaded as a file (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";

  function closeMenus(except) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (menu !== except) menu.removeAttribute("open");
    });
  }

  document.addEventListener("click", function (event) {
    var menu = event.target.closest("details[data-menu]");
    closeMenus(menu);

    var dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) dismiss.closest("[data-dismissable]").remove();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeMenus(null);
  });

  // Ask before destructive actions; the message comes translated from the server.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = button && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // Success messages fade after a while; errors stay until dismissed.
  function scheduleFade(root) {
    root.querySelectorAll(".toast--success, .toast--info").forEach(function (toast) {
      window.setTimeout(function () { toast.remove(); }, 6000);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { scheduleFade(document); });
  document.addEventListener("htmx:afterSwap", function (event) { scheduleFade(event.target); });
})();
