// User text is text. Leaflet's bindTooltip (like innerHTML) reads a string as HTML, so a record
// title such as `<img src=x onerror=...>` would become markup and run as the viewer; a DOM node
// whose textContent holds the string is shown as typed. Loaded by the base template before any
// page script.
(function () {
  "use strict";
  const comity = (window.comity = window.comity || {});
  /** A <span> showing `text` literally (null and undefined show as nothing). */
  comity.textElement = function (text) {
    const span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span;
  };
})();
