// The planner: reads the chosen model ids (from this device, or from ?ds= in a shared link), fetches
// each model's open-data JSON (for its province) and its page (for its text), and lays the models out
// by province, on screen and as a printed booklet with a cover and numbered contents. Our text is built
// with textContent and the pages' parts are copied as parsed nodes, never as HTML strings.
(function () {
  "use strict";
  var root = document.getElementById("planner");
  if (!root || !window.fetch || !window.URLSearchParams) return;
  var KEY = root.getAttribute("data-store");
  // URL patterns with an {id} placeholder, site-relative so the planner works under any host.
  var JSON_URL = root.getAttribute("data-json"), PAGE_URL = root.getAttribute("data-page");
  var QR_URL = root.getAttribute("data-qr");
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var LEVEL = /^(thành phố|thị trấn|thị xã|đặc khu|phường|huyện|quận|tỉnh|xã)\s+/i;  // as generator/core/collate.py
  // Printed page: A4 less the @page margins of style.css (14 mm top, 16 mm bottom), in CSS pixels.
  var PAGE_HEIGHT = (297 - 30) * 96 / 25.4, TOC_LINES = 28;
  var $ = function (id) { return document.getElementById(id); };
  $("planner-nojs").hidden = true;  // shown by default, so it also covers a script that failed to load

  function clean(ids) {
    var seen = {};
    return (Array.isArray(ids) ? ids : []).filter(function (id) {
      var ok = typeof id === "string" && ID.test(id) && !seen[id];
      seen[id] = true;
      return ok;
    });
  }
  function stored() {
    try { return clean(JSON.parse(localStorage.getItem(KEY) || "[]")); } catch (e) { return []; }
  }
  function store(ids) {
    try { localStorage.setItem(KEY, JSON.stringify(ids)); return true; } catch (e) { return false; }
  }
  var param = new URLSearchParams(location.search).get("ds");
  var shared = param === null ? null : clean(param.split(","));
  var ids = shared || stored();

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function link(href, text) { var a = el("a", text); a.href = href; return a; }
  function sentence(text) { return text.charAt(0).toUpperCase() + text.slice(1); }
  function byPlace(a, b) {
    return a.replace(LEVEL, "").localeCompare(b.replace(LEVEL, ""), "vi") || a.localeCompare(b, "vi");
  }

  // A part of the model's page, copied for the booklet: headings moved two levels down (under the
  // province and the model), ids and scripts dropped so the planner keeps one of each.
  function part(m, selector) {
    var found = m.page && m.page.querySelector(selector);
    if (!found) return null;
    var copy = document.importNode(found, true);
    Array.prototype.forEach.call(copy.querySelectorAll("script,.screen-only,[data-visit]"), function (n) { n.remove(); });
    Array.prototype.forEach.call(copy.querySelectorAll("[id],[aria-labelledby],[aria-describedby]"), function (n) {
      n.removeAttribute("id"); n.removeAttribute("aria-labelledby"); n.removeAttribute("aria-describedby");
    });
    copy.removeAttribute("id");
    copy.removeAttribute("aria-labelledby");
    Array.prototype.forEach.call(copy.querySelectorAll("a[href^='#']"), function (a) { a.removeAttribute("href"); });
    Array.prototype.slice.call(copy.querySelectorAll("h1,h2,h3,h4,h5,h6")).forEach(function (h) {
      var level = Math.min(6, Number(h.tagName[1]) + 2), moved = document.createElement("h" + level);
      while (h.firstChild) moved.appendChild(h.firstChild);
      h.replaceWith(moved);
    });
    return copy;
  }

  function qrFigure(m) {
    var fig = el("figure", null, "qr-box print-only");
    var img = el("img", null, "qr");
    img.src = QR_URL.replace("{id}", m.id);
    img.alt = "Mã QR dẫn tới trang: " + m.title;
    img.width = img.height = 100;
    fig.appendChild(img);
    fig.appendChild(el("figcaption", m.url));
    return fig;
  }

  function section(m) {
    var item = el("article", null, "visit-item");
    item.id = "tq-" + m.id;
    var h = el("h3");
    h.appendChild(link(PAGE_URL.replace("{id}", m.id), m.title));
    item.appendChild(qrFigure(m));  // first, so print can float it beside the title
    item.appendChild(h);
    item.appendChild(el("p", m.summary, "summary"));
    [".facts", ".visiting", "section[aria-labelledby='lien-he']"].forEach(function (selector) {
      var copy = part(m, selector);
      if (copy) item.appendChild(copy);
    });
    // The rest of the page only in the printed booklet: on screen the list stays short.
    var full = el("div", null, "print-only booklet-full");
    ["section[aria-labelledby='so-lieu']", ".body", "section[aria-labelledby='nhan-rong']",
     "section[aria-labelledby='nguon']"].forEach(function (selector) {
      var copy = part(m, selector);
      if (copy) full.appendChild(copy);
    });
    item.appendChild(full);
    if (!shared) {
      // The visible words start the accessible name; the hidden title says which model.
      var remove = el("button", "Bỏ khỏi danh sách", "screen-only");
      remove.type = "button";
      remove.appendChild(el("span", ": " + m.title, "sr-only"));
      remove.addEventListener("click", function () { drop(m); });
      item.appendChild(remove);
    }
    return item;
  }

  function drop(m) {
    ids = ids.filter(function (id) { return id !== m.id; });
    store(ids);
    window.dispatchEvent(new Event("showcase-visit"));  // visit.js: header count, offline copies
    draw().then(function () { say("Đã bỏ «" + m.title + "». Còn " + ids.length + " mô hình."); });
  }
  function say(text) { $("planner-status").textContent = text; }

  function get(url, as) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r[as]();
    });
  }
  // The model's open data (for grouping) and its own page (the text, facts and how to arrange a
  // visit exactly as the site shows them); the page is parsed inert, never run.
  function load(id) {
    return Promise.all([get(JSON_URL.replace("{id}", id), "json"), get(PAGE_URL.replace("{id}", id), "text")])
      .then(function (both) {
        var m = both[0].model;
        m.page = new DOMParser().parseFromString(both[1], "text/html").querySelector("article.model");
        return m;
      }, function () { return { id: id, missing: true }; });
  }

  // Contents with page numbers: Chromium prints no target-counter(), so each section's pages are
  // counted here from its height laid out as printed (the .measuring rules of style.css).
  function number(items) {
    var root = document.documentElement;
    root.classList.add("measuring");
    var page = 2 + Math.ceil(items.length / TOC_LINES), numbers = items.map(function (item) {
      var start = page, above = item.previousElementSibling;  // a province's heading shares its first page
      var top = (above && above.tagName === "H2" ? above : item).getBoundingClientRect().top;
      page += Math.max(1, Math.ceil((item.getBoundingClientRect().bottom - top - 1) / PAGE_HEIGHT));
      return start;
    });
    root.classList.remove("measuring");
    return numbers;
  }

  function cover(share, count) {
    var when = new Date();
    $("cover-date").textContent = "Ngày in: " + when.getDate() + "/" + (when.getMonth() + 1) + "/" + when.getFullYear();
    var name = $("planner-delegation").value.trim();
    $("cover-delegation").textContent = name;
    $("cover-delegation").hidden = !name;
    $("cover-count").textContent = count;
    var box = $("cover-qr");
    box.textContent = "";
    if (!window.qrcode || !share) return;
    var code = window.qrcode(0, "M");
    code.addData(share);
    code.make();
    var n = code.getModuleCount(), path = "", NS = "http://www.w3.org/2000/svg";
    for (var r = 0; r < n; r++) for (var c = 0; c < n; c++) if (code.isDark(r, c)) path += "M" + (c + 4) + " " + (r + 4) + "h1v1h-1z";
    var svg = document.createElementNS(NS, "svg"), p = document.createElementNS(NS, "path");
    svg.setAttribute("viewBox", "0 0 " + (n + 8) + " " + (n + 8));
    svg.setAttribute("class", "qr");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Mã QR của danh sách này");
    p.setAttribute("d", path);
    svg.appendChild(p);
    box.appendChild(svg);
  }

  function draw() {
    return Promise.all(ids.map(load)).then(function (models) {
      var list = $("planner-list"), toc = $("planner-toc");
      list.textContent = "";
      toc.textContent = "";
      var gone = models.filter(function (m) { return m.missing; });
      models = models.filter(function (m) { return !m.missing; });
      var groups = {}, items = [], entries = [];
      models.forEach(function (m) {
        var name = m.derived.province ? m.derived.province.name : "khác";
        (groups[name] = groups[name] || []).push(m);
      });
      Object.keys(groups).sort(byPlace).forEach(function (name, i) {
        var box = el("section", null, "province");
        var h = el("h2", sentence(name));
        h.id = "tq-tinh-" + i;
        box.setAttribute("aria-labelledby", h.id);
        box.appendChild(h);
        groups[name].forEach(function (m) {
          var item = section(m);
          box.appendChild(item);
          items.push(item);
          var li = el("li");
          li.appendChild(link("#tq-" + m.id, m.title));
          li.appendChild(document.createTextNode(" · " + sentence(name)));
          entries.push(li);
        });
        list.appendChild(box);
      });
      number(items).forEach(function (page, i) {
        entries[i].appendChild(el("span", String(page), "toc-page"));
        toc.appendChild(entries[i]);
      });
      if (gone.length) {
        list.appendChild(el("p", "Không còn tìm thấy trên trang: " + gone.map(function (m) { return m.id; }).join(", ") + ".", "notice"));
      }
      var share = location.origin + location.pathname + "?ds=" + models.map(function (m) { return m.id; }).join(",");
      $("planner-share").value = share;
      cover(models.length ? share : "", models.length + " mô hình ở " + Object.keys(groups).length + " tỉnh, thành phố");
      $("planner-empty").hidden = models.length > 0;
      $("planner-tools").hidden = models.length === 0;
      $("planner-shared").hidden = !shared;
    });
  }

  var DELEGATION = KEY + ":doan";
  try { $("planner-delegation").value = localStorage.getItem(DELEGATION) || ""; } catch (e) { /* blocked storage */ }
  $("planner-delegation").addEventListener("input", function () {
    try { localStorage.setItem(DELEGATION, this.value); } catch (e) { /* the cover still shows it */ }
    var name = this.value.trim();
    $("cover-delegation").textContent = name;
    $("cover-delegation").hidden = !name;
  });
  $("planner-copy").addEventListener("click", function () {
    var input = $("planner-share");
    var done = function () { say("Đã sao chép đường dẫn chia sẻ."); };
    var fallback = function () { input.select(); say(document.execCommand("copy") ? "Đã sao chép đường dẫn chia sẻ." : "Hãy chọn đường dẫn và sao chép."); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(input.value).then(done, fallback);
    else fallback();
  });
  $("planner-print").addEventListener("click", function () { window.print(); });
  $("planner-adopt").addEventListener("click", function () {
    if (!store(shared)) { say("Trình duyệt không cho lưu danh sách trên thiết bị này."); return; }
    shared = null;
    history.replaceState(null, "", location.pathname);
    draw().then(function () { say("Đã lưu " + ids.length + " mô hình thành danh sách của bạn."); });
  });
  window.addEventListener("storage", function (e) {
    if (e.key === KEY && !shared) { ids = stored(); draw(); }
  });
  draw();
})();
