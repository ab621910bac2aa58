// Progressive enhancement for the odd-job pages; every page works without it.
// 1. [data-countdown="45"]: counts the text "还剩 45 秒" down each second; at zero it says
//    "已过期" and disables that offer's answer buttons (the server refuses them anyway).
// 2. [data-refresh="5"] with an id: fetches the page again every few seconds and swaps in
//    that element's new content, unless focus is inside it (so a click is never lost).
(function () {
  "use strict";
  var started = Date.now();

  function tick() {
    var elapsed = Math.floor((Date.now() - started) / 1000);
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var left = Math.max(0, parseInt(el.getAttribute("data-countdown"), 10) - elapsed);
      var text = left > 0 ? "还剩 " + left + " 秒" : "已过期";
      if (el.textContent !== text) el.textContent = text;
      if (left === 0) {
        var card = el.closest("[data-offer]");
        if (card) {
          card.querySelectorAll("button[data-expires]").forEach(function (b) { b.disabled = true; });
        }
      }
    });
  }

  function refresh(region) {
    var seconds = parseInt(region.getAttribute("data-refresh"), 10);
    if (!region.id || !(seconds > 0) || !window.fetch || !window.DOMParser) return;
    window.setInterval(function () {
      if (region.contains(document.activeElement)) return;
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(region.id);
          if (fresh && !region.contains(document.activeElement)) {
            region.innerHTML = fresh.innerHTML;
            started = Date.now();  // the new countdowns are as of now
          }
        })
        .catch(function () { /* offline for a moment: the next round tries again */ });
    }, seconds * 1000);
  }

  tick();
  window.setInterval(tick, 1000);
  document.querySelectorAll("[data-refresh]").forEach(refresh);
})();
