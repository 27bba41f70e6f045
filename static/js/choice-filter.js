// A search box over a long list of check boxes (the professions of a tour programme): typing
// hides the boxes whose label does not contain the text and opens their groups. Without
// JavaScript the box stays hidden and the groups open one by one.
(function () {
  "use strict";

  function setUp(input) {
    var box = document.querySelector(input.getAttribute("data-choice-filter"));
    if (!box || input.dataset.ready) return;
    input.dataset.ready = "1";
    var label = box.querySelector("[data-choice-filter-label]");
    input.hidden = false;
    if (label) label.hidden = false;
    input.addEventListener("input", function () {
      var text = input.value.trim().toLowerCase();
      box.querySelectorAll("details").forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("label").forEach(function (item) {
          var match = !text || item.textContent.toLowerCase().indexOf(text) !== -1;
          item.hidden = !match;
          if (match) shown += 1;
        });
        group.hidden = shown === 0;
        if (text) group.open = shown > 0;
      });
    });
  }

  function scan(root) {
    (root || document).querySelectorAll("input[data-choice-filter]").forEach(setUp);
  }
  document.addEventListener("DOMContentLoaded", function () { scan(); });
  document.addEventListener("htmx:afterSettle", function (e) { scan(e.target); });
})();
