/* newslint web app: sends the form to /ui/analyze and shows the report it gets back.
   The report's HTML fragment is rendered (and escaped) on the server by the same components
   as the HTML report; this script only inserts it and wires up the downloads. Errors and
   messages are set with textContent, never as HTML. */
(function () {
  "use strict";
  var form = document.getElementById("analyze");
  if (!form) { return; }
  var status = document.getElementById("status");
  var submit = document.getElementById("submit");
  var results = document.getElementById("results");
  var reportBox = document.getElementById("report");
  var downloads = results.querySelector(".downloads");
  var maxBytes = parseInt(document.body.getAttribute("data-max-bytes") || "0", 10);
  var urls = [];

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function mode() {
    var checked = form.querySelector('input[name="mode"]:checked');
    return checked ? checked.value : "text";
  }
  function showMode() {
    var m = mode();
    form.querySelectorAll("[data-mode]").forEach(function (el) {
      el.hidden = el.getAttribute("data-mode") !== m;
    });
  }
  form.querySelectorAll('input[name="mode"]').forEach(function (r) {
    r.addEventListener("change", showMode);
  });
  showMode();

  var tokenInput = document.getElementById("token");
  if (tokenInput) {
    try { tokenInput.value = window.sessionStorage.getItem("newslint-token") || ""; } catch (e) { /* private mode */ }
  }

  function codes(id) {
    var v = document.getElementById(id).value.trim();
    return v ? v.split(",").map(function (s) { return s.trim(); }).filter(Boolean) : null;
  }

  function bodyFor(m) {
    var body = {};
    var published = document.getElementById("published").value;
    if (published) { body.published = published; }
    var select = codes("select"), ignore = codes("ignore");
    if (select) { body.select = select; }
    if (ignore) { body.ignore = ignore; }
    var threshold = document.getElementById("threshold").value;
    if (threshold !== "") { body.threshold = parseFloat(threshold); }
    if (document.getElementById("preview").checked) { body.preview = true; }
    if (m === "text") {
      var text = document.getElementById("text").value;
      if (!text.trim()) { throw new Error("Paste the article text first."); }
      body.text = text;
      return Promise.resolve(body);
    }
    if (m === "url") {
      var url = document.getElementById("url").value.trim();
      if (!/^https?:\/\//i.test(url)) { throw new Error("Give a web address starting with http:// or https://."); }
      body.url = url;
      return Promise.resolve(body);
    }
    var file = document.getElementById("file").files[0];
    if (!file) { throw new Error("Choose an HTML file first."); }
    if (maxBytes && file.size > maxBytes) {
      throw new Error("The file is larger than the limit of " + maxBytes.toLocaleString() + " bytes.");
    }
    return file.text().then(function (html) { body.html = html; return body; });
  }

  function setDownload(id, content, type) {
    var a = document.getElementById(id);
    var href = URL.createObjectURL(new Blob([content], {type: type}));
    urls.push(href);
    a.setAttribute("href", href);
  }

  // Take the last report off the page (and its downloads): after an error, nothing stale stays
  // on screen under the message as if it answered the new request.
  function clear() {
    urls.forEach(function (u) { URL.revokeObjectURL(u); });
    urls = [];
    reportBox.textContent = "";
    downloads.hidden = true;
    ["dl-json", "dl-html", "dl-md", "dl-annotation"].forEach(function (id) {
      document.getElementById(id).removeAttribute("href");
    });
  }
  function fail(message) {
    clear();
    say(message, true);
  }

  function show(data) {
    clear();
    reportBox.innerHTML = data.fragment;  // rendered and escaped by the server
    if (window.newslintReport) { window.newslintReport.init(reportBox); }
    setDownload("dl-json", JSON.stringify(data.report, null, 2) + "\n", "application/json");
    setDownload("dl-html", data.downloads.html, "text/html");
    setDownload("dl-md", data.downloads.md, "text/markdown");
    setDownload("dl-annotation", data.downloads.annotation, "application/ld+json");
    downloads.hidden = false;
    var n = data.report.findings.length;
    var more = data.preview_hidden || 0;
    // the report's summary says what it hides and how to show it; the status repeats the count
    say("Done: " + n + (n === 1 ? " finding" : " findings") +
        (more ? ", " + more + " more hidden (see the summary)." : "."), false);
    results.focus({preventScroll: true});
    // the summary leads the report: bring it into view when the form pushed it off screen
    var top = reportBox.getBoundingClientRect().top;
    if (top > window.innerHeight * 0.6 || top < 0) { results.scrollIntoView({block: "start"}); }
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var m = mode();
    var pending;
    try { pending = bodyFor(m); } catch (err) { fail(err.message); return; }
    var headers = {"Content-Type": "application/json", "Accept": "application/json"};
    if (tokenInput) {
      var token = tokenInput.value.trim();
      if (!token) { fail("Enter the access token."); tokenInput.focus(); return; }
      headers.Authorization = "Bearer " + token;
      try { window.sessionStorage.setItem("newslint-token", token); } catch (e) { /* ignore */ }
    }
    submit.disabled = true;
    say(m === "url" ? "Fetching and analysing…" : "Analysing…", false);
    pending.then(function (body) {
      return fetch("/ui/analyze", {method: "POST", headers: headers, body: JSON.stringify(body),
                                   credentials: "same-origin"});
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        if (!resp.ok) {
          throw new Error((data && data.detail) ? data.detail : ("The server answered " + resp.status + "."));
        }
        show(data);
      });
    }).catch(function (err) {
      fail(err && err.message ? err.message : "The analysis failed.");
    }).then(function () { submit.disabled = false; });
  });
})();
