// On a phone the filters fold under 筛选条件 so that the jobs come first (they took the
// whole first screen). Without this script, or on a wide screen, they stay open.
(function () {
  var filters = document.querySelector("details.filters");
  if (!filters || !window.matchMedia) { return; }
  if (window.matchMedia("(max-width: 799px)").matches) { filters.open = false; }
})();
