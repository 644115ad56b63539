// Search page: mount Pagefind's UI and run the query passed as ?q= by the header form.
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") return;
  // This file lives at <site>/theme/js/search.js: the site's base path works at a
  // domain root and under a sub-path alike.
  var base = new URL("../../", document.currentScript ? document.currentScript.src : location.href).pathname;
  var bundle = base + "pagefind/";

  // The index is one Pagefind bundle per period of publication: the first in pagefind/, the
  // others listed in pagefind/shards.json. They are merged all at once (the UI's own
  // mergeIndex option adds them one after another) into the Pagefind module the UI then uses.
  function mergeShards() {
    return fetch(bundle + "shards.json", { cache: "no-cache" })
      .then(function (response) { return response.ok ? response.json() : { merge: [] }; })
      .then(function (list) {
        return import(bundle + "pagefind.js").then(function (pagefind) {
          return pagefind.options({ baseUrl: base }).then(function () {
            return Promise.all(list.merge.map(function (path) {
              return pagefind.mergeIndex(bundle + path, { baseUrl: base });
            }));
          });
        });
      })
      .catch(function (error) { console.error("search: could not load every part of the index", error); });
  }

  function mount() {
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
  }

  mergeShards().then(mount);
})();
