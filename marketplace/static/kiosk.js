/* Kiosk mode: idle reset, a weak-link banner, read aloud, print. Keeps nothing in the
   browser: no web storage, no cookies of its own; the pages work without it. */
(function () {
  "use strict";
  var body = document.body;
  var idleBanner = document.getElementById("idle-banner");
  var netBanner = document.getElementById("net-banner");
  var last = Date.now();
  var down = false;

  // ---- idle: after data-idle seconds without input, forget the visit (warn at 5/6 of it)
  function touched() {
    last = Date.now();
    if (idleBanner) idleBanner.hidden = true;
  }
  ["pointerdown", "touchstart", "keydown", "input", "wheel"].forEach(function (name) {
    window.addEventListener(name, touched, { passive: true, capture: true });
  });
  var leaving = false;
  setInterval(function () {
    var idle = parseFloat(body.dataset.idle || "");
    if (!(idle > 0) || leaving) return;
    var quiet = (Date.now() - last) / 1000;
    if (quiet >= idle) {
      leaving = true;
      // whatever was typed leaves the screen even if the link is down
      Array.prototype.forEach.call(document.forms, function (form) { form.reset(); });
      location.replace(body.dataset.reset);
      return;
    }
    if (idleBanner) idleBanner.hidden = quiet < idle * 5 / 6;
  }, 500);

  // ---- weak link: keep the page on screen rather than a browser error page
  function setDown(value) {
    down = value;
    if (netBanner) netBanner.hidden = !value;
  }
  function ping() {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, 5000) : null;
    return fetch(body.dataset.ping, {
      cache: "no-store", credentials: "same-origin", signal: controller ? controller.signal : undefined
    }).then(function (response) {
      clearTimeout(timer); setDown(!response.ok); return response.ok;
    }, function () {
      clearTimeout(timer); setDown(true); return false;
    });
  }
  window.addEventListener("offline", function () { setDown(true); });
  window.addEventListener("online", ping);
  setInterval(ping, 30000);
  function guard(event, go) {
    if (navigator.onLine && !down) return;
    event.preventDefault();
    setDown(true);
    ping().then(function (ok) { if (ok) go(); });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    guard(event, function () { form.submit(); });
  });

  // ---- read aloud and print
  var canSpeak = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;
  Array.prototype.forEach.call(document.querySelectorAll("[data-speak]"), function (b) { b.hidden = !canSpeak; });
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) { b.hidden = false; });
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var link = target.closest("a[href]");
    if (link) { guard(event, function () { location.href = link.href; }); return; }
    var speak = target.closest("[data-speak]");
    if (speak && canSpeak) {
      window.speechSynthesis.cancel();
      var words = new SpeechSynthesisUtterance(speak.getAttribute("data-speak"));
      words.lang = "zh-CN";
      words.rate = 0.85;
      window.speechSynthesis.speak(words);
      return;
    }
    if (target.closest("[data-print]")) window.print();
  });
})();
