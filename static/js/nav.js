/* The header's <details> menus work without this script; it only makes them behave like
   menus: one open at a time, closed by Escape (focus back on its summary) or a click elsewhere. */
(function () {
  "use strict";
  function menus() { return document.querySelectorAll(".site-header .nav-menu > details"); }
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.open || !opened.closest || !opened.closest(".nav-menu")) return;
    menus().forEach(function (d) { if (d !== opened) d.open = false; });
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    menus().forEach(function (d) {
      if (!d.open) return;
      var inside = d.contains(document.activeElement);
      d.open = false;
      if (inside) d.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    menus().forEach(function (d) { if (d.open && !d.contains(event.target)) d.open = false; });
  });
})();
