// The survivor's feedback pages (docs/feedback.md). Two things, both about her safety:
// 1. Quick exit: leave at once for a neutral page, replacing this one in the history so Back
//    does not return here (location.replace). Also on the Escape key. Without JavaScript the
//    button is an ordinary link.
// 2. Her personal link's token is in the address bar only until this runs: replace it with
//    /f/ so the history keeps no working link (the answers are posted with the token in the
//    form's body).
(function () {
  "use strict";
  var exit = document.getElementById("quick-exit");
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.style.display = "none";
    window.location.replace(exit.href);
  }
  if (exit) {
    exit.addEventListener("click", leave);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { leave(event); }
    });
  }
  if (window.history && window.history.replaceState && /^\/f\/[^/]+\/$/.test(window.location.pathname)) {
    window.history.replaceState(null, "", document.body.dataset.entry || "/f/");
  }
})();
