// Search page: mount Pagefind's UI and run the query passed as ?q= by the header form.
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") return;
  // This file lives at <site>/theme/js/search.js: the site's base path works at a
  // domain root and under a sub-path alike.
  var base = new URL("../../", document.currentScript ? document.currentScript.src : location.href).pathname;
  var ui = new PagefindUI({
    element: "#search",
    baseUrl: base,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: root.dataset.placeholder || "Search" }
  });
  // Pagefind's box carries only a title; give it an accessible name of its own.
  var input = root.querySelector("input");
  if (input) input.setAttribute("aria-label", root.dataset.placeholder || "Search");
  var query = new URLSearchParams(location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
