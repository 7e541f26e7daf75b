/* Small reader-side completions of the built pages.
 *
 * - "Cite this entry": the access date is the reader's today. Pages carry a placeholder
 *   instead of a build date, which would be wrong for every later reader and would make
 *   builds differ from day to day.
 * - When the site has no configured address (site_url), a citation carries the entry's
 *   path; here it becomes the full address the reader is reading the entry at.
 * - The search dialog of the theme has no accessible name; give it the one of its button.
 */
(function () {
  "use strict";

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function accessDates(today) {
    return {
      iso: today.getFullYear() + "-" + pad(today.getMonth() + 1) + "-" + pad(today.getDate()),
      // The same day-month-year order as every date on the site.
      long: today.toLocaleDateString("en-GB", {day: "numeric", month: "long", year: "numeric"})
    };
  }

  function fillAccessDates() {
    var dates = accessDates(new Date());
    document.querySelectorAll(".tl-accessed[data-format]").forEach(function (node) {
      var text = dates[node.getAttribute("data-format")];
      if (text) node.textContent = text;
    });
    // The note asking readers to fill in the date is for pages read without this script.
    document.querySelectorAll(".tl-cite-note").forEach(function (note) { note.hidden = true; });
  }

  function completeAddresses() {
    if (!/^https?:$/.test(window.location.protocol)) return;
    document.querySelectorAll(".tl-cite-url[data-resolve]").forEach(function (node) {
      var address = new URL(node.getAttribute("data-resolve"), window.location.href);
      address.search = "";
      address.hash = "";
      node.textContent = address.toString();
    });
  }

  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    var input = dialog && dialog.querySelector(".md-search__input");
    var name = input && input.getAttribute("aria-label");
    if (dialog && name && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", name);
    }
  }

  function start() {
    fillAccessDates();
    completeAddresses();
    nameSearchDialog();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
