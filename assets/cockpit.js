/* Drill-down from the district map: the map iframe posts the clicked district's code; open its view. */
window.addEventListener("message", function (event) {
  if (event.origin !== window.location.origin) return;
  var data = event.data;
  if (data && data.type === "cockpit-area-click" && /^\d{6}$/.test(String(data.code))) {
    window.location.assign("/district?area=" + data.code);
  }
});
