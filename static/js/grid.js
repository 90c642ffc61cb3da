/* Progress grid: refresh in place every few seconds with only what changed (progressive enhancement: without
   this script the page is a plain page, and its sort links and Reload link work).

   Each refresh asks /progress/changes?since=<version>: 204 means nothing changed; otherwise the JSON carries the
   new version and either the changed rows (by element id) or the whole table. Only rows whose HTML differs are
   replaced, so keyboard focus and the scroll position stay where they are; a short sentence ("2 participants
   progressed.") goes to a polite live region, never the table itself. "Pause updates" stops the refreshes. */
(function () {
  "use strict";
  var box = document.getElementById("progress-grid");
  if (!box || !window.fetch || !window.URL) { return; }
  var url = box.getAttribute("data-refresh-url");
  var version = box.getAttribute("data-version") || "";
  var seconds = Math.max(1, parseInt(box.getAttribute("data-refresh-seconds"), 10) || 20);
  var status = document.getElementById("grid-status");
  var announcer = document.getElementById("grid-announce");
  var button = document.getElementById("grid-pause");
  var paused = false;
  var busy = false;

  function say(text) {
    // Emptied first, so that the same sentence twice in a row is announced twice.
    if (!announcer) { return; }
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 100);
  }

  function fromHtml(html) {
    var holder = document.createElement("tbody");
    holder.innerHTML = html;
    return holder.firstElementChild;
  }

  function applyRows(rows) {
    var changed = 0;
    Object.keys(rows).forEach(function (id) {
      var old = document.getElementById(id);
      var fresh = fromHtml(rows[id]);
      if (!fresh || (old && old.outerHTML === fresh.outerHTML)) { return; }
      if (old) {
        old.parentNode.replaceChild(fresh, old);
        changed += 1;
      }
    });
    return changed;
  }

  function applyTable(html) {
    // Keep what the keyboard and the eye were on: the focused link (by its address) and both scroll positions.
    var active = document.activeElement;
    var focusHref = active && box.contains(active) ? active.getAttribute("href") : null;
    var wrap = box.querySelector(".table-wrap");
    var left = wrap ? wrap.scrollLeft : 0;
    var top = wrap ? wrap.scrollTop : 0;
    var pageX = window.pageXOffset;
    var pageY = window.pageYOffset;
    box.innerHTML = html;
    wrap = box.querySelector(".table-wrap");
    if (wrap) { wrap.scrollLeft = left; wrap.scrollTop = top; }
    if (focusHref) {
      var again = box.querySelector('a[href="' + focusHref.replace(/"/g, '\\"') + '"]');
      if (again) { again.focus({preventScroll: true}); }
    }
    window.scrollTo(pageX, pageY);
  }

  function refresh() {
    if (paused || busy || document.hidden) { return; }
    busy = true;
    var address = new URL(url, window.location.href);
    address.searchParams.set("since", version);
    fetch(address.toString(), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        // A redirect means the session ended (sign-in page): keep the last table rather than show that page.
        if (response.redirected || (!response.ok)) { throw new Error(String(response.status)); }
        return response.status === 204 ? null : response.json();
      })
      .then(function (changes) {
        if (changes) {
          var count = 0;
          if (changes.table !== undefined) {
            applyTable(changes.table);
            count = 1;
          } else {
            count = applyRows(changes.rows || {});
          }
          version = changes.version;
          if (count > 0 && changes.announce && changes.announce.length) {
            say(changes.announce[Math.min(count, changes.announce.length) - 1]);
          }
        }
        if (status) {
          status.textContent = status.getAttribute("data-updated") + " " + new Date().toLocaleTimeString();
        }
      })
      .catch(function () { /* keep the last table; the next round tries again */ })
      .then(function () { busy = false; });
  }

  if (button) {
    button.parentNode.hidden = false;
    button.addEventListener("click", function () {
      paused = !paused;
      button.textContent = button.getAttribute(paused ? "data-resume" : "data-pause");
      if (status && paused) { status.textContent = status.getAttribute("data-paused"); }
      if (!paused) { refresh(); }
    });
  }
  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });
}());
