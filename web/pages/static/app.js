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
})();
