// Small page behaviour on top of htmx. Every page works without it.
(function () {
  "use strict";

  // htmx snapshots the page's HTML for the back button just before it moves to a new URL. A
  // search form outside the swapped results already holds the *new* query by then, and typed
  // values live in properties, not in the HTML. So forms marked data-url-state are written back
  // from the URL being left — the query that produced the results in the snapshot — and put
  // back right after htmx has taken it (synchronously), so the person's typing is untouched.
  document.addEventListener("htmx:beforeHistorySave", function () {
    var params = new URLSearchParams(window.location.search);
    var live = [];
    document.querySelectorAll("form[data-url-state]").forEach(function (form) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name) return;
        live.push(remember(el));
        if (el.type === "checkbox" || el.type === "radio") {
          var on = params.getAll(el.name).indexOf(el.value) !== -1;
          el.checked = on;
          el.toggleAttribute("checked", on);
        } else if (el.tagName === "SELECT") {
          var chosen = params.get(el.name) || "";
          Array.prototype.forEach.call(el.options, function (o) {
            o.selected = o.value === chosen;
            o.toggleAttribute("selected", o.selected);
          });
        } else if (el.type !== "hidden" && el.type !== "password" && el.type !== "submit") {
          el.value = params.get(el.name) || "";
          el.setAttribute("value", el.value);
        }
      });
    });
    window.setTimeout(function () { live.forEach(function (restore) { restore(); }); }, 0);
  });

  function remember(el) {
    var value = el.value, checked = el.checked, focused = document.activeElement === el;
    var start = focused ? el.selectionStart : null, end = focused ? el.selectionEnd : null;
    var selected = el.tagName === "SELECT" ? el.selectedIndex : -1;
    return function () {
      if (el.type === "checkbox" || el.type === "radio") { el.checked = checked; return; }
      if (el.tagName === "SELECT") { el.selectedIndex = selected; return; }
      el.value = value;
      if (focused && start !== null) el.setSelectionRange(start, end);
    };
  }

  // A table that does not fit scrolls in its box; say so in words too (the edge shadows are
  // the cue without JavaScript).
  function markOverflow(root) {
    (root || document).querySelectorAll(".scroll-wrap").forEach(function (wrap) {
      var box = wrap.querySelector(".table-scroll"), hint = wrap.querySelector(".scroll-hint");
      if (box && hint) hint.hidden = box.scrollWidth <= box.clientWidth + 1;
    });
  }
  document.addEventListener("DOMContentLoaded", function () { markOverflow(); });
  window.addEventListener("resize", function () { markOverflow(); });
  document.addEventListener("htmx:afterSettle", function (e) { markOverflow(e.target); });

  // Papers: a «Распечатать» button (the CSP allows no inline handler). Without JavaScript the
  // browser's own print does the same; the button is then hidden.
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (b) { b.hidden = false; });
  });
})();
