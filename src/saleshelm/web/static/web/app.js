// SalesHelm shell behaviour. Everything works without this file; it only adds comfort:
// a collapsible menu on small screens and menus that close like menus.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var toggle = document.querySelector(".nav-toggle");
    var sidebar = document.getElementById("sidebar");
    if (toggle && sidebar) {
      toggle.hidden = false;
      document.documentElement.classList.add("js-nav");
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") === "true";
        toggle.setAttribute("aria-expanded", open ? "false" : "true");
        sidebar.classList.toggle("is-open", !open);
      });
    }

    var menus = Array.prototype.slice.call(document.querySelectorAll("details.menu"));
    // One open menu at a time.
    menus.forEach(function (menu) {
      menu.addEventListener("toggle", function () {
        if (!menu.open) return;
        menus.forEach(function (other) {
          if (other !== menu) other.open = false;
        });
      });
    });
    // A click outside or Escape closes the open menu; Escape returns focus to its button.
    document.addEventListener("click", function (event) {
      menus.forEach(function (menu) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
    });
    // A table wider than its box scrolls sideways (long Vietnamese headings, narrow screens):
    // the box then takes keyboard focus, so the arrow keys scroll it (WCAG 2.1.1), and is
    // named after its table's caption or section heading.
    function scrollableTables() {
      Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (wrap) {
        var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
        if (scrolls && !wrap.hasAttribute("tabindex")) {
          wrap.tabIndex = 0;
          wrap.setAttribute("data-scroll-focus", "");
          var caption = wrap.querySelector("caption");
          var section = wrap.closest("[aria-labelledby]");
          if (caption && caption.id) {
            wrap.setAttribute("aria-labelledby", caption.id);
          } else if (section) {
            wrap.setAttribute("aria-labelledby", section.getAttribute("aria-labelledby"));
          }
          // A group, not a region: the section around it is already the landmark.
          if (wrap.hasAttribute("aria-labelledby")) wrap.setAttribute("role", "group");
        } else if (!scrolls && wrap.hasAttribute("data-scroll-focus")) {
          ["tabindex", "data-scroll-focus", "role", "aria-labelledby"].forEach(function (name) {
            wrap.removeAttribute(name);
          });
        }
      });
    }
    scrollableTables();
    window.addEventListener("load", scrollableTables);
    window.addEventListener("resize", scrollableTables);
    document.body.addEventListener("htmx:afterSettle", scrollableTables);

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      menus.forEach(function (menu) {
        if (menu.open) {
          menu.open = false;
          var summary = menu.querySelector("summary");
          if (summary) summary.focus();
        }
      });
      if (sidebar && sidebar.classList.contains("is-open") && toggle) {
        sidebar.classList.remove("is-open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  });
})();
