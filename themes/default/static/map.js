// The map: one marker per spot listed on the page (the list is the source, so map and list agree),
// one layer per province. Tiles come from OpenStreetMap; without them the markers still work.
(function () {
  "use strict";
  var box = document.getElementById("ban-do");
  if (!box || !window.L) return;
  var spots = document.querySelectorAll(".map-spot[data-lat]");
  if (!spots.length) return;
  box.hidden = false;
  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 18,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
  }).addTo(map);
  var layers = {}, byAnchor = {}, all = [];
  Array.prototype.forEach.call(spots, function (spot) {
    var province = spot.closest("[data-province]");
    var name = province.getAttribute("data-province");
    var layer = layers[name] || (layers[name] = L.featureGroup().addTo(map));
    var models = spot.querySelectorAll("li[id]");
    var titles = Array.prototype.map.call(models, function (li) { return li.querySelector("a").textContent; });
    var marker = L.marker([+spot.getAttribute("data-lat"), +spot.getAttribute("data-lon")], {
      title: titles.join("; "),
      icon: L.divIcon({ className: "map-pin", html: models.length > 1 ? String(models.length) : "", iconSize: [26, 26] })
    });
    var popup = document.createElement("div");
    var heading = document.createElement("p");
    heading.textContent = name;
    popup.appendChild(heading);
    popup.appendChild(spot.querySelector("ul").cloneNode(true));
    popup.querySelectorAll("[id]").forEach(function (node) { node.removeAttribute("id"); });
    marker.on("add", function () {  // the count drawn in the pin must not replace the name read aloud
      marker.getElement().setAttribute("aria-label", titles.join("; "));
    });
    marker.bindPopup(popup).addTo(layer);
    Array.prototype.forEach.call(models, function (li) { byAnchor[li.id] = marker; });
    byAnchor[province.id] = layer;
    all.push(marker);
  });
  L.control.layers(null, layers, { collapsed: true }).addTo(map);
  var everything = L.featureGroup(all);
  function show() {
    var target = byAnchor[location.hash.slice(1)];
    if (target instanceof L.Marker) { map.setView(target.getLatLng(), 11); target.openPopup(); }
    else map.fitBounds((target || everything).getBounds(), { padding: [30, 30], maxZoom: 11 });
  }
  window.addEventListener("hashchange", show);
  show();
})();
