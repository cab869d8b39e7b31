// The visit on every page: the chosen model ids live in localStorage (read by the planner). This
// script shows their count in the header, runs the "add to my visit" buttons, and asks the service
// worker (sw.js) to keep the chosen models' pages readable offline, dropping those that left the visit.
(function () {
  "use strict";
  var link = document.getElementById("visit-link");
  if (!link) return;
  var key = link.getAttribute("data-store");
  var counts = Array.prototype.slice.call(document.querySelectorAll(".visit-count"));
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button[data-visit]"));
  var status = document.getElementById("visit-status") || {};  // pages without toggles have no status line
  var ADD = "Thêm vào chuyến tham quan", REMOVE = "Bỏ khỏi chuyến tham quan";
  function read() {  // null when storage is blocked; a damaged list reads as empty
    var raw;
    try { raw = localStorage.getItem(key); } catch (e) { return null; }
    try { var ids = JSON.parse(raw || "[]"); return Array.isArray(ids) ? ids : []; } catch (e) { return []; }
  }
  // The files of one model that the booklet and an offline reader need.
  function files(id) {
    var page = link.getAttribute("data-page").replace("{id}", id);
    return [page].concat(link.getAttribute("data-files").split(" ").map(function (f) { return f.replace("{id}", id); }));
  }
  function keepOffline(ids) {
    if (!("serviceWorker" in navigator) || !navigator.serviceWorker.controller) return;
    // The planner and the stylesheets and scripts pages link to (content-named, so taken from the page).
    var urls = [link.getAttribute("href")].concat(link.getAttribute("data-assets").split(" "));
    ids.forEach(function (id) { urls = urls.concat(files(id)); });
    navigator.serviceWorker.controller.postMessage({ type: "visit", urls: urls });
  }
  function sync() {
    var ids = read() || [];
    counts.forEach(function (c) { c.textContent = " (" + ids.length + ")"; c.hidden = false; });
    buttons.forEach(function (b) {
      var chosen = ids.indexOf(b.getAttribute("data-visit")) >= 0;
      b.classList.toggle("in-visit", chosen);
      b.querySelector(".visit-label").textContent = chosen ? REMOVE : ADD;
    });
    return ids;
  }
  if (read() === null) return;  // storage blocked: no count and no button rather than a wrong one
  buttons.forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var ids = read() || [], id = b.getAttribute("data-visit"), at = ids.indexOf(id);
      if (at >= 0) ids.splice(at, 1); else ids.push(id);
      try { localStorage.setItem(key, JSON.stringify(ids)); } catch (e) { status.textContent = "Không lưu được: trình duyệt chặn bộ nhớ."; return; }
      keepOffline(sync());
      status.textContent = (at >= 0 ? "Đã bỏ khỏi" : "Đã thêm vào") + " chuyến tham quan (" + ids.length + " mô hình).";
    });
  });
  window.addEventListener("storage", function (e) { if (e.key === key) keepOffline(sync()); });
  window.addEventListener("showcase-visit", function () { keepOffline(sync()); });  // the planner changed it
  sync();
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(link.getAttribute("data-sw")).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      if (navigator.serviceWorker.controller) keepOffline(read() || []);
      else navigator.serviceWorker.addEventListener("controllerchange", function () { keepOffline(read() || []); });
    }, function () { /* no offline copy: the site still works online */ });
  }
})();
