// "Add to my visit" on model pages: the chosen model ids live in localStorage, read by the planner.
(function () {
  "use strict";
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button[data-visit]"));
  if (!buttons.length) return;
  var key = buttons[0].getAttribute("data-store");
  var status = document.getElementById("visit-status") || {};  // list pages may have no status region
  function read() {  // null when storage is blocked; a damaged list reads as empty
    var raw;
    try { raw = localStorage.getItem(key); } catch (e) { return null; }
    try { var ids = JSON.parse(raw || "[]"); return Array.isArray(ids) ? ids : []; } catch (e) { return []; }
  }
  function sync() {
    var ids = read() || [];
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(ids.indexOf(b.getAttribute("data-visit")) >= 0)); });
  }
  if (read() === null) return;  // storage blocked: the button stays hidden rather than lie
  buttons.forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var ids = read() || [], id = b.getAttribute("data-visit"), at = ids.indexOf(id);
      if (at >= 0) ids.splice(at, 1); else ids.push(id);
      try { localStorage.setItem(key, JSON.stringify(ids)); } catch (e) { status.textContent = "Không lưu được: trình duyệt chặn bộ nhớ."; return; }
      sync();
      status.textContent = (at >= 0 ? "Đã bỏ khỏi" : "Đã thêm vào") + " chuyến tham quan (" + ids.length + " mô hình).";
    });
  });
  window.addEventListener("storage", function (e) { if (e.key === key) sync(); });
  sync();
})();
