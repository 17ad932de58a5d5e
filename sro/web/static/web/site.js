// Progressive enhancement only; every page works without JavaScript.
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
});

// The error summary (web/_error_summary.html): focused when the page opens (its `autofocus` does
// the same without JavaScript); a link in it focuses its field and scrolls the field's label or
// legend into view, not only the field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  if (document.activeElement !== summary) { summary.focus(); }
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var target = link && document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) { return; }
    event.preventDefault();
    var fieldset = target.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    var label = document.querySelector("label[for='" + target.id + "']");
    var choice = target.type === "checkbox" || target.type === "radio";
    ((choice ? legend : label) || label || legend || target).scrollIntoView();
    target.focus({ preventScroll: true });
  });
});

// Signing out empties what the service worker kept of the contact form (web/sw.js); contacts
// queued on the device stay, encrypted, for the officer who saved them (incidents/contact_form.js).
document.addEventListener("submit", function (event) {
  var action = event.target.getAttribute("action") || "";
  if (action.indexOf("/accounts/logout/") >= 0 && window.caches) {
    caches.keys().then(function (names) {
      names.forEach(function (n) { if (n.indexOf("sro-") === 0) { caches.delete(n); } });
    });
  }
});
