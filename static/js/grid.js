/* Progress grid: refresh the table in place every few seconds (progressive enhancement: the page works
   without this script, and its sort links and Reload link work without it too). */
(function () {
  "use strict";
  var box = document.getElementById("progress-grid");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-refresh-url");
  var seconds = Math.max(1, parseInt(box.getAttribute("data-refresh-seconds"), 10) || 20);
  var status = document.getElementById("grid-status");

  function refresh() {
    if (document.hidden) { return; }
    fetch(url, {credentials: "same-origin", headers: {"Accept": "text/html"}}).then(function (response) {
      // A redirect means the session ended (sign-in page): keep the last table rather than show that page.
      if (!response.ok || response.redirected) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      box.innerHTML = html;
      if (status) {
        status.textContent = status.getAttribute("data-updated") + " " + new Date().toLocaleTimeString();
      }
    }).catch(function () { /* keep the last table; the next round tries again */ });
  }

  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });
}());
