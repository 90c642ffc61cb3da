/* Quiz pages, progressive enhancement only: autosave each answer as it changes, and a countdown.
   Without this script the "Save and continue" buttons save the page; nothing here is required. */
(function () {
  "use strict";

  function countdown() {
    var el = document.querySelector("[data-deadline]");
    var end = el && Date.parse(el.getAttribute("data-deadline"));
    if (!end) { return; }
    (function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      el.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
      if (left > 0) { setTimeout(tick, 1000); }
    })();
  }

  countdown();
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.JSON) { return; }

  var status = document.getElementById("save-status");
  var answered = document.querySelector("[data-answered]");
  var revision = form.elements.revision;
  var csrf = form.elements.csrf_token.value;
  var text = form.dataset;
  var pending = {}, timers = {}, busy = false, closed = false, waiting = null;

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("is-error", !!isError);
  }

  function fieldsOf(id) {
    var fields = {};
    var box = form.querySelector('fieldset[data-question="' + id + '"]');
    Array.prototype.forEach.call(box ? box.querySelectorAll("input[name], select[name]") : [], function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      (fields[el.name] = fields[el.name] || []).push(el.value);
    });
    return fields;
  }

  function release() {
    if (waiting) { var go = waiting; waiting = null; go(); }
  }

  function send() {
    var ids = Object.keys(pending);
    if (busy) { return; }
    if (!ids.length || closed) { release(); return; }
    var fields = {};
    ids.forEach(function (id) {
      var own = fieldsOf(id);
      Object.keys(own).forEach(function (name) { fields[name] = own[name]; });
    });
    pending = {};
    busy = true;
    say(text.msgSaving);
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({revision: parseInt(revision.value, 10), shown: ids, fields: fields})
    }).then(function (response) {
      return response.json().then(function (body) { return {code: response.status, body: body}; });
    }).then(function (reply) {
      var body = reply.body || {};
      if (typeof body.revision === "number") { revision.value = body.revision; }
      if (answered && typeof body.answered === "number") {
        answered.textContent = text.msgAnswered.replace("{done}", body.answered).replace("{total}", body.total);
      }
      if (reply.code === 409) { closed = true; }
      if (reply.code === 200) { say(text.msgSaved); } else { say((body.error && body.error.message) || text.msgFailed, true); }
    }).catch(function () {
      ids.forEach(function (id) { pending[id] = true; });
      say(text.msgOffline, true);
      busy = false;
      release();
    }).then(function () {
      if (busy) { busy = false; send(); }
    });
  }

  function queue(id, delay) {
    clearTimeout(timers[id]);
    if (delay) {
      timers[id] = setTimeout(function () { delete timers[id]; pending[id] = true; send(); }, delay);
    } else {
      delete timers[id];
      pending[id] = true;
      send();
    }
  }

  function questionOf(el) {
    var box = el.closest && el.closest("fieldset[data-question]");
    // A scenario step (data-autosave="off") is decided by its button, never by a change of the radio.
    return box && box.getAttribute("data-autosave") !== "off" && box.getAttribute("data-question");
  }

  form.addEventListener("change", function (event) {
    var id = questionOf(event.target);
    if (id) { queue(id, 0); }
  });
  form.addEventListener("input", function (event) {
    var id = questionOf(event.target);
    if (id && event.target.type === "text") { queue(id, 800); }
  });
  form.addEventListener("submit", function (event) {
    Object.keys(timers).forEach(function (id) { queue(id, 0); });
    if (closed || (!busy && !Object.keys(pending).length)) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    waiting = function () {
      if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
    };
    send();
  });
  window.addEventListener("beforeunload", function (event) {
    if (busy || Object.keys(pending).length || Object.keys(timers).length) { event.preventDefault(); }
  });
})();
