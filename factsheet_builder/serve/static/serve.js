// factsheet serve: keyboard focus after a form is shown again, a warning before unsaved changes are lost, and the
// parts of a page refreshed when the server says a school was rebuilt or its file changed (server-sent events).
(function () {
  "use strict";
  var body = document.body;
  var page = body.getAttribute("data-page");
  var school = body.getAttribute("data-school");
  var live = document.getElementById("live");

  var focus = body.getAttribute("data-focus");
  var target = focus && document.getElementById(focus);
  if (target) { target.focus(); }

  var form = document.querySelector("form.school-form");
  var dirty = false;
  if (form) {
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  if (!window.EventSource || !page) { return; }
  var pending = {};  // a refresh of the part is on its way; "again": another event came meanwhile
  function refresh(id) {
    var part = document.getElementById(id);
    if (!part) { return; }
    if (pending[id]) { pending[id] = "again"; return; }
    pending[id] = true;
    setTimeout(function () {  // one refresh for a burst of events
      function done() {
        var again = pending[id] === "again";
        pending[id] = false;
        if (again) { refresh(id); }
      }
      fetch(part.getAttribute("data-refresh"), { credentials: "same-origin" }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html !== null) {
          part.innerHTML = html;
          var state = part.querySelector(".state");
          if (state && id === "leaflets") { live.textContent = state.textContent; }
          var now = part.querySelector("[data-version]");
          if (now) { changedSince(now.getAttribute("data-version")); }
        }
        done();
      }, done);
    }, page === "index" ? 1000 : 100);
  }
  function changedSince(version) {  // the school's file is no longer the one the form was opened at
    var opened = body.getAttribute("data-version");
    if (version && opened && version !== opened) { document.getElementById("changed").hidden = false; }
  }
  function everything() { refresh(page === "index" ? "rows" : "leaflets"); }
  var events = new EventSource("/events");
  events.addEventListener("open", function () {  // (re)connected: catch up with what happened meanwhile
    body.setAttribute("data-live", "open");
    everything();
  });
  events.addEventListener("school", function (event) {
    var data = JSON.parse(event.data);
    if (page === "index") { refresh("rows"); return; }
    if (data.school !== school) { return; }
    refresh("leaflets");
    changedSince(data.version);
  });
  events.addEventListener("workspace", everything);
  events.addEventListener("reload", everything);
}());
