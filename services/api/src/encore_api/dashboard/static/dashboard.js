// Encore's dashboard: the few things a server-rendered page cannot do by itself.
// - the bearer key: typed once, kept in this tab's sessionStorage, sent with each change;
// - forms and buttons that change something call the JSON API and say what happened;
// - a running job's section refreshes itself; an upload shows its progress;
// - with a read key, a page that answered "locked" is fetched again with the key.
"use strict";
(function () {
  var KEY = "encore-key";
  var POLL_MS = 1000;

  function key() { return sessionStorage.getItem(KEY) || ""; }
  function authHeaders(extra) {
    var headers = Object.assign({}, extra || {});
    if (key()) { headers.Authorization = "Bearer " + key(); }
    return headers;
  }
  function say(element, text, kind) {
    if (!element) { return; }
    element.textContent = text;
    element.dataset.kind = kind;
  }

  function showKeyState() {
    var state = document.getElementById("key-state");
    if (state) { state.textContent = key() ? "kept for this session" : "none typed"; }
  }
  function askForKey() {
    var box = document.getElementById("key-box");
    if (box) { box.open = true; }
    var input = document.getElementById("key-input");
    if (input) { input.focus(); }
  }
  function initKeyBox() {
    var form = document.getElementById("key-form");
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = document.getElementById("key-input");
      sessionStorage.setItem(KEY, input.value.trim());
      input.value = "";
      showKeyState();
      if (document.querySelector("main[data-locked]")) { unlock(); }
    });
    document.getElementById("key-forget").addEventListener("click", function () {
      sessionStorage.removeItem(KEY);
      showKeyState();
    });
    showKeyState();
  }

  function refusal(status, body) {
    if (status === 401) {
      return "Refused: this needs the API key" + (key() ? " (the one kept for this session is not it)" : "") +
        ". Type it in the \u201cAPI key\u201d box at the top of the page, then try again.";
    }
    if (body && body.message) { return "Error " + status + ": " + body.message; }
    return "Error " + status + ": the server did not say why.";
  }

  // Form fields as the JSON the API takes: "params.max_epochs" nests, empty fields are left
  // out (the server's default applies), numbers and lists are typed by their input.
  function formBody(form) {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.value.trim() === "") { return; }
      var value = field.value.trim();
      var kind = field.dataset.kind;
      if (field.type === "number") { value = Number(value); }
      else if (kind === "bool") { value = value === "true"; }
      else if (kind === "numbers" || kind === "integers") {
        value = value.split(/[\s,]+/).filter(Boolean).map(Number);
      }
      var path = field.name.split(".");
      var target = body;
      path.slice(0, -1).forEach(function (part) { target = target[part] = target[part] || {}; });
      target[path[path.length - 1]] = value;
    });
    return body;
  }

  function after(form, then, body) {
    var status = form.querySelector(".status");
    if (then === "job") {
      say(status, "Started: job " + body.job_id + ". Opening its page\u2026", "ok");
      window.location.assign("/ui/jobs/" + body.job_id);
    } else if (then === "reload") {
      say(status, "Done.", "ok");
      window.location.reload();
    } else if (then === "live") {
      say(status, "Done.", "ok");
      refreshLive();
    } else if (then === "probability") {
      say(status, "Scored.", "ok");
      var output = document.getElementById("probability");
      output.textContent = body.probability.toFixed(6);
      output.dataset.probability = String(body.probability);
      document.getElementById("label").textContent = String(body.label);
      document.getElementById("answer-version").textContent = body.model_version;
      document.getElementById("answer").hidden = false;
    }
  }

  // A form's own attributes: form.dataset would be its field named "dataset", if it has one.
  function attribute(form, name) { return form.getAttribute("data-" + name); }

  function submitApiForm(form) {
    var status = form.querySelector(".status");
    if (attribute(form, "confirm") && !window.confirm(attribute(form, "confirm"))) { return; }
    say(status, "Sending\u2026", "busy");
    fetch(attribute(form, "url"), {
      method: attribute(form, "method"),
      headers: authHeaders({"Content-Type": "application/json"}),
      body: JSON.stringify(formBody(form))
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (!response.ok) {
          say(status, refusal(response.status, body), "error");
          if (response.status === 401) { askForKey(); }
          return;
        }
        after(form, attribute(form, "then"), body);
      });
    }).catch(function (error) {
      console.error(error);
      say(status, "The server could not be reached.", "error");
    });
  }

  function upload(form) {
    var status = form.querySelector(".status");
    var bar = document.getElementById("upload-progress");
    var name = form.elements.name.value.trim();
    var file = form.elements.file.files[0];
    var request = new XMLHttpRequest();
    request.open("PUT", "/datasets/" + encodeURIComponent(name) + "?wait=600");
    var headers = authHeaders({"Content-Type": "application/octet-stream"});
    Object.keys(headers).forEach(function (h) { request.setRequestHeader(h, headers[h]); });
    bar.hidden = false;
    bar.value = 0;
    request.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) { return; }
      bar.value = Math.round(100 * event.loaded / event.total);
      bar.textContent = bar.value + " %";
      say(status, event.loaded === event.total ? "Sent; validating\u2026" :
        "Uploading: " + bar.value + " %", "busy");
    });
    request.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(request.responseText); } catch (e) { body = null; }
      if (request.status === 201) {
        say(status, "Imported " + name + ".", "ok");
        window.location.assign("/ui/datasets/" + encodeURIComponent(name));
      } else if (request.status === 202) {
        say(status, "Still validating: job " + body.job_id + ".", "busy");
        window.location.assign("/ui/jobs/" + body.job_id);
      } else {
        say(status, refusal(request.status, body), "error");
        if (request.status === 401) { askForKey(); }
      }
    });
    request.addEventListener("error", function () {
      say(status, "The upload was interrupted; nothing was kept.", "error");
    });
    request.send(file);
  }

  function refreshLive() {
    var live = document.getElementById("live");
    if (!live) { return Promise.resolve(false); }
    return fetch(live.dataset.live, {headers: authHeaders()}).then(function (response) {
      if (!response.ok) { return false; }
      return response.text().then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("live");
        if (!next) { return false; }
        live.replaceWith(next);
        return next.hasAttribute("data-running");
      });
    }).catch(function () { return true; });
  }
  function pollLive() {
    var live = document.getElementById("live");
    if (!live || !live.hasAttribute("data-running")) { return; }
    window.setTimeout(function () {
      refreshLive().then(function (running) { if (running) { pollLive(); } });
    }, POLL_MS);
  }

  function unlock() {
    var message = document.getElementById("locked-message");
    if (!key()) { askForKey(); return; }
    fetch(window.location.href, {headers: authHeaders()}).then(function (response) {
      return response.text().then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        if (!response.ok || page.querySelector("main[data-locked]")) {
          say(message, "Refused: that key does not read this Encore. Type the read key or the API key.", "error");
          askForKey();
          return;
        }
        document.title = page.title;
        document.querySelector("main").replaceWith(page.querySelector("main"));
        pollLive();
      });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("api-form")) { event.preventDefault(); submitApiForm(form); }
    else if (form.id === "upload-form") { event.preventDefault(); upload(form); }
  });
  initKeyBox();
  if (document.querySelector("main[data-locked]")) { unlock(); } else { pollLive(); }
})();
