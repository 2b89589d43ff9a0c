// Follows a running billing run on its page (templates/invoices/run.html): subscribes to
// `billingRunProgress` over the console's WebSocket (graphql-transport-ws, authenticated by
// the session cookie), writes the counts as they change, and reloads the page when the run
// ends so the invoices and failures are shown. Without this script the page refreshes itself.
(function () {
  "use strict";
  var run = document.getElementById("run");
  if (!run || run.getAttribute("data-running") !== "true" || !window.WebSocket) {
    return;
  }
  // The server writes console/graphql/billing_run_progress.graphql here, as a JSON string.
  var QUERY = "__PROGRESS_QUERY__";
  var done = false;
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
    "/admin/graphql/ws";
  var socket = new WebSocket(url, "graphql-transport-ws");

  function send(message) {
    socket.send(JSON.stringify(message));
  }

  function show(id, value) {
    var element = document.getElementById(id);
    if (element && element.textContent !== String(value)) {
      element.textContent = String(value);
    }
  }

  function words(status) {
    return status.charAt(0) + status.slice(1).toLowerCase();
  }

  function reload(after) {
    if (!done) {
      done = true;
      window.setTimeout(function () { location.reload(); }, after);
    }
  }

  socket.addEventListener("open", function () {
    send({ type: "connection_init", payload: {} });
  });
  socket.addEventListener("message", function (event) {
    var message = JSON.parse(event.data);
    if (message.type === "connection_ack") {
      send({ id: "progress", type: "subscribe",
        payload: { query: QUERY, variables: { id: run.getAttribute("data-run") } } });
    } else if (message.type === "next" && message.payload && message.payload.data) {
      var progress = message.payload.data.billingRunProgress;
      show("run-due", progress.due);
      show("run-invoiced", progress.invoiced);
      show("run-failed", progress.failed);
      show("run-status", words(progress.status));
    } else if (message.type === "ping") {
      send({ type: "pong" });
    } else if (message.type === "complete" || message.type === "error") {
      // The run ended (or cannot be followed): the page itself says how.
      reload(0);
    }
  });
  // A socket that fails or closes early: fall back to what the page does without script.
  socket.addEventListener("close", function () { reload(2000); });
}());
