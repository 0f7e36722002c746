// The survivor's feedback pages (docs/feedback.md). Two things for her safety, one for reading:
// 1. Quick exit: leave at once for a neutral page, replacing this one in the history so Back
//    does not return here (location.replace). Also on the Escape key. Without JavaScript the
//    button is an ordinary link.
// 2. Her personal link's token is in the address bar only until this runs: replace it with
//    /f/ so the history keeps no working link (the answers are posted with the token in the
//    form's body).
// 3. "Listen" beside each question for a woman who reads with difficulty: shown only where the
//    phone can play the file, which is fetched when she taps (never with the page).
(function () {
  "use strict";
  var exit = document.getElementById("quick-exit");
  var playing = null;
  function stop() {
    if (playing) { playing.audio.pause(); playing.button.setAttribute("aria-pressed", "false"); }
    playing = null;
  }
  function leave(event) {
    if (event) { event.preventDefault(); }
    stop();
    document.body.style.display = "none";
    window.location.replace(exit.href);
  }
  if (exit) {
    exit.addEventListener("click", leave);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { leave(event); }
    });
  }
  var probe = document.createElement("audio");
  Array.prototype.forEach.call(document.querySelectorAll("button.play"), function (button) {
    if (!probe.canPlayType || !probe.canPlayType(button.getAttribute("data-type"))) { return; }
    var audio = null;
    button.hidden = false;
    button.addEventListener("click", function () {
      var again = playing && playing.button === button;
      stop();
      if (again) { return; }  // a second tap stops it
      audio = audio || new Audio(button.getAttribute("data-src"));
      audio.currentTime = 0;
      playing = {audio: audio, button: button};
      button.setAttribute("aria-pressed", "true");
      var mine = playing;
      function done() { if (playing === mine) { stop(); } }  // not another question's sound
      audio.onended = done;
      var started = audio.play();
      if (started && started.catch) { started.catch(done); }
    });
  });
  if (window.history && window.history.replaceState && /^\/f\/[^/]+\/$/.test(window.location.pathname)) {
    window.history.replaceState(null, "", document.body.dataset.entry || "/f/");
  }
})();
