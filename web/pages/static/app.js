// minyi's pages work without this file; it only adds conveniences.
(function () {
  "use strict";
  // Print buttons are hidden until there is script to press them.
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  // After a refused form, take the reader to the list of what to fix.
  var errors = document.getElementById("errors");
  if (errors) errors.focus();
  // Meeting form (座谈会): "add an opinion" clones the last row in the page
  // instead of sending the form, renumbering its fields; without script
  // the server shows the form again with one row more.
  var addRow = document.querySelector("[data-add-row]");
  var rowCount = document.querySelector("[data-row-count]");
  if (addRow && rowCount) {
    addRow.addEventListener("click", function (e) {
      var all = document.querySelectorAll("[data-opinion-row]");
      var last = all[all.length - 1];
      var max = parseInt(addRow.getAttribute("data-add-row"), 10);
      if (!last || all.length >= max) return; // let the server answer
      e.preventDefault();
      var n = all.length;
      var row = last.cloneNode(true);
      row.id = "row-" + n;
      var rename = function (v) { return v.replace(/^o\d+-/, "o" + n + "-").replace(/^opinions\[\d+\]/, "opinions[" + n + "]"); };
      row.querySelectorAll("[id],[for],[name]").forEach(function (el) {
        ["id", "for", "name"].forEach(function (a) {
          if (el.hasAttribute(a)) el.setAttribute(a, rename(el.getAttribute(a)));
        });
      });
      row.querySelectorAll("input,textarea").forEach(function (el) { el.value = ""; el.removeAttribute("aria-invalid"); });
      row.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; el.removeAttribute("aria-invalid"); });
      row.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
      var legend = row.querySelector("legend");
      if (legend) legend.textContent = legend.textContent.replace(/\d+/, String(n + 1));
      last.parentNode.insertBefore(row, last.nextSibling);
      rowCount.value = String(n + 1);
      if (n + 1 >= max) addRow.hidden = true;
      var first = row.querySelector("select,textarea,input");
      if (first) first.focus();
    });
  }
  // The inbox's bulk dispatch: a select-all box over the rows' own boxes,
  // which work one by one without script.
  document.querySelectorAll("[data-select-all]").forEach(function (label) {
    var all = label.querySelector("input");
    var form = label.closest("form");
    if (!all || !form) return;
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox][name=item]"));
    if (!boxes.length) return;
    label.hidden = false;
    function sync() {
      var n = boxes.filter(function (b) { return b.checked; }).length;
      all.checked = n === boxes.length;
      all.indeterminate = n > 0 && n < boxes.length;
    }
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
      sync();
    });
    boxes.forEach(function (b) { b.addEventListener("change", sync); });
    sync();
  });
  // A link of the error summary puts the cursor in its field, and shows
  // the field's label above it (the fragment alone only scrolls).
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (a) {
    a.addEventListener("click", function (e) {
      var f = document.getElementById(a.getAttribute("href").slice(1));
      if (!f) return;
      e.preventDefault();
      var box = f.closest("fieldset, div") || f;
      box.scrollIntoView();
      f.focus({ preventScroll: true });
    });
  });
  // Photos over the limit are redrawn smaller (JPEG) before sending, as
  // the server refuses them; without script the server's message says so.
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var max = +input.getAttribute("data-max-bytes");
    if (!window.DataTransfer || !HTMLCanvasElement.prototype.toBlob) return;
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files);
      if (!files.some(function (f) { return f.size > max; })) return;
      Promise.all(files.map(function (f) { return f.size > max ? shrink(f, max) : f; })).then(function (out) {
        var dt = new DataTransfer();
        out.forEach(function (f) { dt.items.add(f); });
        input.files = dt.files;
      });
    });
  });
  function shrink(file, max) {
    return new Promise(function (done) {
      // A data: URL, as the pages' policy allows images from no blob:.
      var img = new Image(), reader = new FileReader();
      img.onerror = function () { done(file); };
      img.onload = function () {
        var scale = Math.min(1, 2560 / Math.max(img.width, img.height)), q = 0.85;
        (function draw() {
          var c = document.createElement("canvas");
          c.width = Math.round(img.width * scale); c.height = Math.round(img.height * scale);
          c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
          c.toBlob(function (b) {
            if (!b) return done(file);
            if (b.size <= max || scale < 0.1) return done(new File([b], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" }));
            scale *= 0.75; q = Math.max(0.6, q - 0.1); draw();
          }, "image/jpeg", q);
        })();
      };
      reader.onerror = img.onerror;
      reader.onload = function () { img.src = reader.result; };
      reader.readAsDataURL(file);
    });
  }
  // The header's count of unread notifications (通知 n): asked again every
  // data-notify-poll milliseconds while the page is visible, at once when
  // it becomes visible again; without script it is right at each load.
  var bell = document.querySelector("[data-notify-poll]");
  var bellCount = bell && bell.querySelector("[data-notify-count]");
  if (bellCount && window.fetch) {
    var every = parseInt(bell.getAttribute("data-notify-poll"), 10) || 60000;
    var timer = null;
    var poll = function () {
      fetch("/staff/notifications/count", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          if (!d || typeof d.unread !== "number") return;
          if (bellCount.textContent !== String(d.unread)) bellCount.textContent = String(d.unread);
          bellCount.hidden = d.unread === 0;
        })
        .catch(function () {});
    };
    var schedule = function () {
      if (timer) clearInterval(timer);
      timer = document.hidden ? null : setInterval(poll, every);
    };
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) poll();
      schedule();
    });
    schedule();
  }
  // Keyboard navigation of lists: j/k move, Enter opens, / searches.
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-row]"));
  var at = -1;
  function mark(i) {
    if (!rows.length) return;
    at = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, j) { r.classList.toggle("current", j === at); });
    rows[at].scrollIntoView({ block: "nearest" });
    var link = rows[at].querySelector("a");
    if (link) link.focus();
  }
  document.addEventListener("keydown", function (e) {
    var t = e.target.tagName;
    if (t === "INPUT" || t === "TEXTAREA" || t === "SELECT" || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "j") { mark(at + 1); e.preventDefault(); }
    else if (e.key === "k") { mark(at - 1); e.preventDefault(); }
    else if (e.key === "/") {
      var q = document.querySelector("input[type=search]");
      if (q) { q.focus(); e.preventDefault(); }
    }
  });
  // Mongolian pages scroll sideways (mn.css): a mouse wheel turned down
  // moves on to the next columns, as the page's reading order goes.
  if (getComputedStyle(document.getElementById("main") || document.body).writingMode === "vertical-lr") {
    document.body.addEventListener("wheel", function (e) {
      if (!e.deltaX && e.deltaY && !e.ctrlKey && !e.target.closest("textarea,select")) {
        document.body.scrollLeft += e.deltaY;
        e.preventDefault();
      }
    }, { passive: false });
  }
})();
