/* Filter the entries of a listing page by status, actor and tag.
 *
 * The form is in the page but hidden: without this script readers get the full list and no
 * control that cannot work. The choices are kept in the address (?status=…&actor=…&tag=…),
 * so a filtered list can be shared and survives going back. Each entry is the heading
 * <h2 id=…> followed by <div class="tl-entry" data-status data-actors data-tags>.
 */
(function () {
  "use strict";

  var FIELDS = {status: "status", actor: "actors", tag: "tags"};

  function entryParts(entry) {
    var parts = [entry];
    var heading = entry.previousElementSibling;
    if (heading && /^H[1-6]$/.test(heading.tagName)) {
      parts.push(heading);
      var tocLink = heading.id && document.querySelector(
        '.md-nav--secondary a[href="#' + CSS.escape(heading.id) + '"]');
      if (tocLink && tocLink.parentElement) parts.push(tocLink.parentElement);
    }
    return parts;
  }

  function matches(entry, choices) {
    return Object.keys(FIELDS).every(function (name) {
      var wanted = choices[name];
      if (!wanted) return true;
      var values = (entry.getAttribute("data-" + FIELDS[name]) || "").split(" ");
      return values.indexOf(wanted) !== -1;
    });
  }

  function countText(form, shown, total) {
    if (shown === 0) return form.getAttribute("data-none");
    return form.getAttribute("data-count")
      .replace("{shown}", String(shown)).replace("{total}", String(total));
  }

  function readChoices(form) {
    var choices = {};
    Object.keys(FIELDS).forEach(function (name) {
      choices[name] = form.elements[name] ? form.elements[name].value : "";
    });
    return choices;
  }

  function rememberChoices(choices) {
    var url = new URL(window.location.href);
    Object.keys(FIELDS).forEach(function (name) {
      if (choices[name]) url.searchParams.set(name, choices[name]);
      else url.searchParams.delete(name);
    });
    window.history.replaceState(window.history.state, "", url.toString());
  }

  function restoreChoices(form) {
    var params = new URL(window.location.href).searchParams;
    Object.keys(FIELDS).forEach(function (name) {
      var select = form.elements[name];
      var value = params.get(name);
      // Only a value the list offers: an address from another page must not hide everything.
      if (select && value && Array.prototype.some.call(select.options, function (option) {
        return option.value === value;
      })) select.value = value;
    });
  }

  function setUp(form) {
    var entries = Array.prototype.slice.call(document.querySelectorAll(".tl-entry"));
    var status = form.querySelector(".tl-filter-count");

    function apply(remember) {
      var choices = readChoices(form);
      var shown = 0;
      entries.forEach(function (entry) {
        var visible = matches(entry, choices);
        if (visible) shown += 1;
        entryParts(entry).forEach(function (part) { part.hidden = !visible; });
      });
      status.textContent = countText(form, shown, entries.length);
      if (remember) rememberChoices(choices);
    }

    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    // "reset" fires before the fields are cleared; read them once they are.
    form.addEventListener("reset", function () {
      window.setTimeout(function () { apply(true); }, 0);
    });
    restoreChoices(form);
    form.hidden = false;
    apply(false);
  }

  function start() {
    var form = document.querySelector("form.tl-filter");
    if (form && !form.hasAttribute("data-ready")) {
      form.setAttribute("data-ready", "");
      setUp(form);
    }
  }

  // Material's instant navigation, when enabled, swaps pages without reloading scripts.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
