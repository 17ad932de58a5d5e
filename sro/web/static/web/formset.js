// Rows of a Django formset added and removed in the page: progressive enhancement of the
// "Add another" and "Remove" submit buttons, which the server handles when JavaScript is off.
//
// Markup: a [data-formset=PREFIX] element holding the management form, a [data-formset-rows]
// container of [data-formset-row] rows, a <template data-formset-template> with the formset's
// empty form (its names use __prefix__), a [data-formset-add] button, a [data-formset-remove]
// button in each row, [data-formset-number] elements showing a row's number, a
// [data-formset-status] live region, and the messages data-added / data-removed ("{n}" = number).
(function () {
  "use strict";

  function setUp(root) {
    var prefix = root.getAttribute("data-formset");
    var rows = root.querySelector("[data-formset-rows]");
    var template = root.querySelector("template[data-formset-template]");
    var add = root.querySelector("[data-formset-add]");
    var status = root.querySelector("[data-formset-status]");
    var total = root.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var maxInput = root.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    if (!rows || !template || !add || !total) { return; }
    var max = maxInput ? parseInt(maxInput.value, 10) : 1000;
    var numbered = new RegExp(prefix + "-(\\d+|__prefix__)-", "g");
    var attributes = ["id", "name", "for", "aria-describedby", "href"];

    function all() { return rows.querySelectorAll("[data-formset-row]"); }

    function say(message, n) {
      if (status && message) { status.textContent = message.replace("{n}", String(n)); }
    }

    function renumber(row, index) {
      var elements = [row].concat(Array.prototype.slice.call(row.querySelectorAll("*")));
      elements.forEach(function (el) {
        attributes.forEach(function (name) {
          var value = el.getAttribute(name);
          if (value && value.indexOf(prefix + "-") !== -1) {
            el.setAttribute(name, value.replace(numbered, prefix + "-" + index + "-"));
          }
        });
      });
      row.querySelectorAll("[data-formset-number]").forEach(function (el) { el.textContent = String(index + 1); });
      var remove = row.querySelector("[data-formset-remove]");
      if (remove) { remove.value = String(index); }
    }

    function refresh() {
      var list = all();
      list.forEach(function (row, index) {
        renumber(row, index);
        var remove = row.querySelector("[data-formset-remove]");
        if (remove) { remove.hidden = list.length < 2; }
      });
      total.value = String(list.length);
      add.hidden = list.length >= max;
    }

    add.addEventListener("click", function (event) {
      event.preventDefault();
      var count = all().length;
      if (count >= max) { return; }
      var row = template.content.firstElementChild.cloneNode(true);
      rows.insertBefore(row, template);
      refresh();
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
      say(root.getAttribute("data-added"), count + 1);
    });

    rows.addEventListener("click", function (event) {
      var button = event.target.closest("[data-formset-remove]");
      if (!button || !rows.contains(button)) { return; }
      event.preventDefault();
      var row = button.closest("[data-formset-row]");
      var list = Array.prototype.slice.call(all());
      var index = list.indexOf(row);
      if (index === -1 || list.length < 2) { return; }
      row.remove();
      refresh();
      say(root.getAttribute("data-removed"), index + 1);
      add.focus();  // the row and its button are gone; one fewer than the maximum, so "Add" shows
    });
  }

  document.querySelectorAll("[data-formset]").forEach(setUp);
})();
