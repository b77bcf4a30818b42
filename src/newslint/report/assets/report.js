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

    // Bring a panel item into view by scrolling the panel alone: the page never moves, so the
    // span just clicked stays under the pointer and a second click cycles on the same span.
    // Where the panel is not a scrolling box (one column, below the article) nothing scrolls.
    function scrollPanelTo(li) {
      var side = li.closest(".side");
      if (!side || side.scrollHeight <= side.clientHeight + 1) { return; }
      var top = li.getBoundingClientRect().top - side.getBoundingClientRect().top + side.scrollTop;
      var bottom = top + li.offsetHeight;
      if (top < side.scrollTop + 8) {
        side.scrollTop = Math.max(0, top - 8);
      } else if (bottom > side.scrollTop + side.clientHeight - 8) {
        side.scrollTop = Math.min(top - 8, bottom - side.clientHeight + 8);
      }
    }

    function select(id, opts) {
      opts = opts || {};
      marks.forEach(function (m) {
        if (m.classList.contains("sel")) { m.classList.remove("sel"); m.removeAttribute("data-cat"); }
      });
      items.forEach(function (li) { li.classList.remove("active"); });
      doc.querySelectorAll(".mm").forEach(function (mm) {
        mm.classList.toggle("sel", !!id && mm.getAttribute("data-f") === id);
      });
      current = id;
      if (!id) { if (status) { status.textContent = ""; } return; }
      var ly = layer(id), cat = ly ? ly.getAttribute("data-cat") : "";
      (marksOf[id] || []).forEach(function (m) { m.classList.add("sel"); m.setAttribute("data-cat", cat); });
      var li = itemOf[id];
      if (li) {
        li.classList.add("active");
        var group = li.closest("details");
        if (group && !group.open) { group.open = true; }
        if (opts.scrollPanel) { scrollPanelTo(li); }
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
        if (ly.classList.contains("q") && !(text && text.classList.contains("all-lines"))) { continue; }
        var rects = ly.getClientRects();
        for (var j = 0; j < rects.length; j++) {
          var r = rects[j];
          if (x >= r.left && x <= r.right && y >= r.bottom - 4 && y <= r.bottom + 0.5) { return ly; }
        }
      }
      return null;
    }
    var text = doc.querySelector(".text");

    // Claims and techniques (.ly.q) are marks in the left margin (.mm): stretch each mark over
    // all the lines of its finding (a CSS variable; no style attribute, so the CSP holds).
    var marginMarks = Array.prototype.slice.call(doc.querySelectorAll(".mm"));
    function measureMarks() {
      marginMarks.forEach(function (mm) {
        var id = mm.getAttribute("data-f"), top = Infinity, bottom = -Infinity;
        doc.querySelectorAll('.ly[data-f="' + id + '"]').forEach(function (part) {
          var rects = part.getClientRects();
          for (var i = 0; i < rects.length; i++) {
            top = Math.min(top, rects[i].top);
            bottom = Math.max(bottom, rects[i].bottom);
          }
        });
        if (bottom > top) { mm.style.setProperty("--mh", Math.max(12, bottom - top - 6) + "px"); }
      });
    }
    if (text && marginMarks.length) {
      measureMarks();
      if (window.ResizeObserver) { new ResizeObserver(measureMarks).observe(text); }
    }

    if (text) {
      text.addEventListener("click", function (ev) {
        var mm = ev.target && ev.target.closest ? ev.target.closest(".mm") : null;
        if (mm) {  // a margin mark: its finding
          var mid = mm.getAttribute("data-f");
          select(mid, {scrollPanel: true, mark: (marksOf[mid] || [])[0]});
          return;
        }
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
    var lines = filters ? filters.querySelector("input[data-filter-lines]") : null;

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
      doc.querySelectorAll(".ly, .mm").forEach(function (ly) {
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
      if (lines && text) {
        lines.addEventListener("change", function () {
          text.classList.toggle("all-lines", lines.checked);
          if (!lines.checked) { measureMarks(); }
        });
      }
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
