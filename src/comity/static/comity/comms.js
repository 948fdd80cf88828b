// Real-time comms: the page listens on /ws/comms/ and, when told "message N in conversation C
// changed", asks the server for the HTML again (the thread of C if it is open here, and the
// unread badge). The event carries no text: what is shown is what the server renders for this
// user, escaped, so user text stays text. Reconnects with a growing delay.
(function () {
  "use strict";
  const path = document.body && document.body.dataset.commsSocket;
  if (!path || !("WebSocket" in window)) {
    return;
  }
  let delay = 1000;

  function changed(conversation) {
    document.body.dispatchEvent(new CustomEvent("comms:changed", { detail: { conversation: conversation } }));
  }

  function refresh(data) {
    const thread = document.getElementById("comms-thread");
    if (thread && window.htmx && Number(thread.dataset.conversation) === data.conversation) {
      // The badge after the thread: opening the thread marks it read.
      window.htmx
        .ajax("GET", thread.dataset.refresh, { target: "#comms-thread", swap: "outerHTML" })
        .then(function () {
          changed(data.conversation);
        });
      return;
    }
    changed(data.conversation);
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + window.location.host + path);
    socket.addEventListener("open", function () {
      delay = 1000;
      document.body.dataset.commsState = "open";
    });
    socket.addEventListener("message", function (event) {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (data && data.type === "message" && Number.isInteger(data.conversation)) {
        refresh(data);
      }
    });
    socket.addEventListener("close", function () {
      document.body.dataset.commsState = "closed";
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }

  connect();
})();
