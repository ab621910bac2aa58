// Search-as-you-type: fills the search box's datalist with titles. The form works without it.
(function () {
  var input = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  var last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var prefix = input.value.trim();
      if (!prefix || prefix === last) { return; }
      last = prefix;
      fetch("/search/suggest?q=" + encodeURIComponent(prefix))
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          list.textContent = "";
          data.suggestions.forEach(function (title) {
            var option = document.createElement("option");
            option.value = title;
            list.appendChild(option);
          });
        })
        .catch(function () { /* keep the box usable on a weak link */ });
    }, 200);
  });
})();
