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

  // Toasts sent by the server with HX-Trigger: {"toast": {"level": ..., "message": ...}}.
  document.body.addEventListener("toast", function (event) {
    var box = document.getElementById("messages");
    if (!box || !event.detail) return;
    var toast = document.createElement("div");
    toast.className = "toast toast--" + (event.detail.level || "info");
    toast.setAttribute("data-dismissable", "");
    var text = document.createElement("span");
    text.textContent = event.detail.message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast__close";
    close.setAttribute("data-dismiss", "");
    close.setAttribute("aria-label", "×");
    close.textContent = "×";
    toast.append(text, close);
    box.append(toast);
    scheduleFade(box);
  });

  // The roster board: drag a card onto a column to move it. The server decides; a refused
  // move comes back as a toast with the reason. Cards also have a Move button (no drag needed).
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".card-mini[data-move-url]");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-move-url"));
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    document.querySelectorAll(".is-drop-target, .is-drop-refused").forEach(function (column) {
      column.classList.remove("is-drop-target", "is-drop-refused");
    });
  });
  document.addEventListener("dragover", function (event) {
    var column = dragged && event.target.closest(".board__column[data-stage]");
    if (!column) return;
    event.preventDefault();
    var allowed = (dragged.getAttribute("data-allowed") || "").split(" ");
    var ok = allowed.indexOf(column.getAttribute("data-stage")) !== -1;
    column.classList.toggle("is-drop-target", ok);
    column.classList.toggle("is-drop-refused", !ok);
    event.dataTransfer.dropEffect = ok ? "move" : "none";
  });
  document.addEventListener("dragleave", function (event) {
    var column = event.target.closest && event.target.closest(".board__column");
    if (column && !column.contains(event.relatedTarget)) {
      column.classList.remove("is-drop-target", "is-drop-refused");
    }
  });
  document.addEventListener("drop", function (event) {
    var column = dragged && event.target.closest(".board__column[data-stage]");
    if (!column || !window.htmx) return;
    event.preventDefault();
    var filters = document.getElementById("roster-filters");
    var values = filters ? Object.fromEntries(new FormData(filters)) : {};
    values.stage = column.getAttribute("data-stage");
    window.htmx.ajax("POST", dragged.getAttribute("data-move-url"), {
      source: dragged, target: "#roster", swap: "outerHTML", values: values
    });
  });

  // Switching language returns to the address the page shows now: htmx may have pushed
  // filters or a sort into it since the server rendered the form.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("langswitch")) return;
    var next = form.querySelector("input[name=next]");
    if (next) next.value = window.location.pathname + window.location.search;
  });

  // Read-only link fields select their whole text on focus, ready to copy.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });
})();
