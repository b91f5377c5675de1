// Accessibility fix found by axe-core ("region": all page content should be in landmarks): the
// theme puts the book title and search box at the top of the left sidebar outside any landmark.
// Give each its own uniquely named region ("landmark-unique").
document.addEventListener("DOMContentLoaded", function () {
  var n = 0;
  document.querySelectorAll(".sidebar-primary-items__start > .sidebar-primary-item").forEach(function (el) {
    if (!el.closest("nav, header, main, aside, footer, [role]")) {
      n += 1;
      var kind = el.querySelector("form, [class*='search']") ? "Search" : "Report title";
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", kind + (n > 1 ? " (" + n + ")" : ""));
    }
  });
});
