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
