// Render the charts declared in Python (Vega-Lite specs in json_script elements) with the
// vendored Vega-Embed. CSP-safe: expressions run in the vega-interpreter (ast: true), nothing is
// evaluated from strings, and no style element is injected. Every chart has a table and a summary
// beside it, so the page loses nothing without JavaScript.
(function () {
  "use strict";
  if (!window.vegaEmbed || !window.vegaInterpreter) { return; }
  var spanish = (document.documentElement.lang || "").indexOf("es") === 0;
  var locale = spanish
    ? { decimal: ",", thousands: ".", grouping: [3], currency: ["$", ""] }
    : { decimal: ".", thousands: ",", grouping: [3], currency: ["$", ""] };
  var charts = document.querySelectorAll(".vega[data-spec]");
  Array.prototype.forEach.call(charts, function (el) {
    var source = document.getElementById(el.getAttribute("data-spec"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    window.vegaEmbed(el, spec, {
      ast: true,
      expr: window.vegaInterpreter.expressionInterpreter,
      actions: false,
      defaultStyle: false,
      tooltip: false,
      renderer: "svg",
      formatLocale: locale
    }).then(function () {
      // The container is the image (role="img", named by the figure's title and summary, in the
      // page's language); Vega's own ARIA text is English-only, so its SVG is hidden from the tree.
      var svg = el.querySelector("svg");
      if (svg) { svg.setAttribute("aria-hidden", "true"); svg.setAttribute("focusable", "false"); }
      el.classList.add("rendered");
    }).catch(function (error) {
      el.textContent = el.getAttribute("data-noscript");
      if (window.console) { window.console.error(error); }
    });
  });
})();
