/* newslint report: selection, cycling through overlapping findings, filters, keyboard.
   Shared by the HTML report (inlined, CSP hash) and the web app (/static/report.js).
   Works on the markup of newslint.report.components; reads text only through the DOM and
   never builds HTML from strings. */
(function () {
  "use strict";

  function setupDoc(doc) {
    if (doc.getAttribute("data-ready") === "1") { return; }
    doc.setAttribute("data-ready", "1");
    var marks = Array.prototype.slice.call(doc.querySelectorAll("mark.seg"));
    var items = Array.prototype.slice.call(doc.querySelectorAll("li.finding"));
    var status = doc.querySelector(".status");
    var marksOf = {};      // finding id -> its marks, in reading order
    var itemOf = {};       // finding id -> its panel item
    var hidden = {};       // finding id -> true when filtered out
    var current = null;    // selected finding id

    items.forEach(function (li) { itemOf[li.getAttribute("data-f")] = li; });
    marks.forEach(function (m) {
      m.setAttribute("tabindex", "-1");
      ids(m).forEach(function (id) { (marksOf[id] = marksOf[id] || []).push(m); });
    });

    function ids(m) { return (m.getAttribute("data-findings") || "").split(" ").filter(Boolean); }
    function visibleIds(m) { return ids(m).filter(function (id) { return !hidden[id]; }); }
    function layer(id) { return doc.querySelector('.ly[data-f="' + id + '"]'); }
    function describe(id) {
      var li = itemOf[id];
      if (!li) { return id; }
      var code = li.querySelector(".code"), name = li.querySelector(".name");
      return (code ? code.textContent : "") + " " + (name ? name.textContent : "");
    }

    function select(id, opts) {
      opts = opts || {};
      marks.forEach(function (m) {
        if (m.classList.contains("sel")) { m.classList.remove("sel"); m.removeAttribute("data-cat"); }
      });
      items.forEach(function (li) { li.classList.remove("active"); });
      current = id;
      if (!id) { if (status) { status.textContent = ""; } return; }
      var ly = layer(id), cat = ly ? ly.getAttribute("data-cat") : "";
      (marksOf[id] || []).forEach(function (m) { m.classList.add("sel"); m.setAttribute("data-cat", cat); });
      var li = itemOf[id];
      if (li) {
        li.classList.add("active");
        var group = li.closest("details");
        if (group && !group.open) { group.open = true; }
        if (opts.scrollPanel) { li.scrollIntoView({block: "nearest"}); }
      }
      var first = (marksOf[id] || [])[0];
      if (first && opts.focusText) { first.focus({preventScroll: true}); }
      if (first && (opts.scrollText || opts.focusText)) { first.scrollIntoView({block: "center"}); }
      if (status) {
        var on = opts.mark ? visibleIds(opts.mark) : [];
        var where = on.length > 1 ? " (" + (on.indexOf(id) + 1) + " of " + on.length +
          " on this span; click again or press Enter for the next)" : "";
        status.textContent = "Selected " + describe(id) + where + ".";
      }
    }

    // A click on the text cycles through the findings on that span, most important first; a
    // click on one of the underlines below the text selects the finding of that colour. The
    // underlines hang below the line box, where the browser does not hit-test inline boxes,
    // so they are found by their position.
    function onMark(m) {
      var on = visibleIds(m);
      if (!on.length) { return; }
      var next = current && on.indexOf(current) >= 0 ? on[(on.indexOf(current) + 1) % on.length] : on[0];
      select(next, {scrollPanel: true, mark: m});
    }
    var layers = Array.prototype.slice.call(doc.querySelectorAll(".ly"));
    function layerAt(x, y) {
      for (var i = 0; i < layers.length; i++) {
        var ly = layers[i];
        if (hidden[ly.getAttribute("data-f")]) { continue; }
        var rects = ly.getClientRects();
        for (var j = 0; j < rects.length; j++) {
          var r = rects[j];
          if (x >= r.left && x <= r.right && y >= r.bottom - 4 && y <= r.bottom + 0.5) { return ly; }
        }
      }
      return null;
    }
    var text = doc.querySelector(".text");
    if (text) {
      text.addEventListener("click", function (ev) {
        var ly = layerAt(ev.clientX, ev.clientY);
        var m = ev.target && ev.target.closest ? ev.target.closest("mark.seg") : null;
        if (ly) {
          var id = ly.getAttribute("data-f");
          m = ly.closest("mark.seg");
          if (id !== current) { select(id, {scrollPanel: true, mark: m}); return; }
        }
        if (m) { onMark(m); }
      });
    }

    marks.forEach(function (m) {
      m.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); onMark(m); }
        else if (ev.key === "Escape" && current && itemOf[current]) {
          var a = itemOf[current].querySelector("a.jump");
          if (a) { a.focus(); }
        }
      });
    });

    // Panel links (and "Overlaps" cross-links): select, then move focus to the span.
    doc.querySelectorAll("a.jump, a.xref").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        var id = (a.getAttribute("href") || "").slice(1);
        if (!marksOf[id]) { return; }
        ev.preventDefault();
        if (hidden[id]) { reset(); }
        select(id, {focusText: true, mark: marksOf[id][0]});
      });
    });

    // Filters: categories (checkboxes) and one code (select).
    var filters = doc.querySelector(".filters");
    var boxes = filters ? Array.prototype.slice.call(filters.querySelectorAll("input[data-filter-cat]")) : [];
    var codeSel = filters ? filters.querySelector("select[data-filter-code]") : null;
    var shown = filters ? filters.querySelector(".shown") : null;

    function apply() {
      var cats = {};
      boxes.forEach(function (b) { cats[b.getAttribute("data-filter-cat")] = b.checked; });
      var code = codeSel ? codeSel.value : "";
      var n = 0;
      items.forEach(function (li) {
        var id = li.getAttribute("data-f");
        var off = cats[li.getAttribute("data-cat")] === false ||
          (code !== "" && li.getAttribute("data-code") !== code);
        hidden[id] = off;
        li.hidden = off;
        if (!off) { n += 1; }
      });
      doc.querySelectorAll(".ly").forEach(function (ly) {
        ly.classList.toggle("off", !!hidden[ly.getAttribute("data-f")]);
      });
      marks.forEach(function (m) {
        var none = visibleIds(m).length === 0;
        m.classList.toggle("off", none);
        if (none) { m.removeAttribute("tabindex"); } else { m.setAttribute("tabindex", "-1"); }
      });
      doc.querySelectorAll(".group").forEach(function (g) {
        var visible = g.querySelectorAll("li.finding:not([hidden])").length;
        g.hidden = visible === 0;
        var count = g.querySelector(".n");
        if (count) { count.textContent = String(visible); }
      });
      if (shown) { shown.textContent = "Showing " + n + " of " + items.length; }
      if (current && hidden[current]) { select(null); }
    }
    function reset() {
      boxes.forEach(function (b) { b.checked = true; });
      if (codeSel) { codeSel.value = ""; }
      apply();
    }
    if (filters) {
      filters.hidden = false;
      boxes.forEach(function (b) { b.addEventListener("change", apply); });
      if (codeSel) { codeSel.addEventListener("change", apply); }
      var again = filters.querySelector("[data-filter-reset]");
      if (again) { again.addEventListener("click", reset); }
    }

    // Opened at #d0-f3 (a link into the report): select that finding.
    var hash = window.location.hash.slice(1);
    if (hash && marksOf[hash]) { select(hash, {scrollPanel: true}); }
  }

  function init(root) {
    (root || document).querySelectorAll("article.doc").forEach(setupDoc);
  }

  window.newslintReport = {init: init};
  init(document);
})();
