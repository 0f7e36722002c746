// Setu field operations: fill the coarse location into the check-in form when the member
// ticked "Send my rough location". Our own code (no library). Low accuracy on purpose: the
// browser may answer from the network, and the server keeps two decimals (about a kilometre).
(function () {
  "use strict";
  var box = document.getElementById("id_share_location");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  if (!box || !lat || !lon || !navigator.geolocation) { return; }
  function locate() {
    if (!box.checked) { lat.value = ""; lon.value = ""; return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      lat.value = p.coords.latitude.toFixed(2);
      lon.value = p.coords.longitude.toFixed(2);
    }, function () { lat.value = ""; lon.value = ""; },
    { enableHighAccuracy: false, maximumAge: 300000, timeout: 10000 });
  }
  box.addEventListener("change", locate);
  locate();
})();
