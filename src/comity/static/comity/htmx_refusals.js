// htmx swaps only 2xx answers. A form marked data-swap-refusals answers a refused write with the
// form again and its status (400: the errors by their fields; 403: the write rule's reason), so
// that status is kept for every client and htmx is told to swap it in all the same (the pattern
// htmx documents for its htmx:beforeSwap event).
(function () {
  "use strict";
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if ((status === 400 || status === 403) && event.detail.elt.closest("[data-swap-refusals]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
