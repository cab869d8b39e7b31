// The planner: reads the chosen model ids (from this device, or from ?ds= in a shared link), fetches
// each model's open-data JSON and lays the models out by province, on screen and as a printed booklet.
// Everything is built with textContent, never HTML strings, so content cannot inject markup.
(function () {
  "use strict";
  var root = document.getElementById("planner");
  if (!root || !window.fetch || !window.URLSearchParams) return;
  var KEY = root.getAttribute("data-store");
  // URL patterns with an {id} placeholder, site-relative so the planner works under any host.
  var JSON_URL = root.getAttribute("data-json"), PAGE_URL = root.getAttribute("data-page");
  var QR_URL = root.getAttribute("data-qr");
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var STATUS = { active: "Đang hoạt động", pilot: "Thí điểm", ended: "Đã kết thúc" };
  var number = new Intl.NumberFormat("vi-VN");
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
  function dl(rows) {
    var list = el("dl");
    rows.forEach(function (row) {
      if (row[1] === undefined || row[1] === null || row[1] === "") return;
      list.appendChild(el("dt", row[0]));
      var dd = el("dd");
      if (row[1] instanceof Node) dd.appendChild(row[1]); else dd.textContent = String(row[1]);
      list.appendChild(dd);
    });
    return list.children.length ? list : null;
  }
  function link(href, text) { var a = el("a", text); a.href = href; return a; }
  function num(v) { return typeof v === "number" ? number.format(v) : v; }

  function facts(m) {
    var d = m.derived, host = m.host, p = m.participants || {};
    var households = [p.households != null ? num(p.households) + " hộ" : "",
      p.poor != null ? "hộ nghèo: " + num(p.poor) : "", p.near_poor != null ? "hộ cận nghèo: " + num(p.near_poor) : ""];
    var figures = (m.figures || []).map(function (f) {
      return f.label + ": " + num(f.value) + " " + f.unit + " (" + f.year + ")";
    });
    return dl([["Địa bàn", d.place], ["Lĩnh vực", d.sectors.join(", ")], ["Đối tượng", d.target_groups.join(", ")],
      ["Đơn vị chủ trì", host ? host.name + (d.host_type ? " (" + d.host_type + ")" : "") : ""],
      ["Năm bắt đầu", m.started], ["Tình trạng", STATUS[m.status]],
      ["Hộ tham gia", households.filter(Boolean).join("; ")], ["Số liệu", figures.join("; ")]]);
  }
  function visiting(m) {
    var v = m.visiting || {};
    return dl([["Đón đoàn tham quan", v.accepts_visits === undefined ? "" : (v.accepts_visits ? "Có" : "Không")],
      ["Tháng nên đến", (v.best_months || []).map(function (n) { return "tháng " + n; }).join(", ")],
      ["Mùa vụ", v.season_note], ["Thời gian", v.duration],
      ["Số người tối đa", v.max_group != null ? v.max_group + " người" : ""],
      ["Báo trước", v.notice_days != null ? v.notice_days + " ngày" : ""],
      ["Liên hệ sắp xếp qua", v.arrange_via], ["Đường đi", v.access]]);
  }
  function contact(m) {
    var c = m.contact || {};
    return dl([["Người liên hệ", [c.name, c.role, c.organisation].filter(Boolean).join(", ")],
      ["Điện thoại", c.phone ? link("tel:" + c.phone.replace(/\s/g, ""), c.phone) : ""],
      ["Email", c.email ? link("mailto:" + c.email, c.email) : ""]]);
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
    [["Thông tin chính", facts(m), ""],
     ["Tham quan, học tập", visiting(m), "Nguồn chưa ghi thông tin tham quan; hãy liên hệ địa phương trước khi đến."],
     ["Liên hệ", contact(m), "Nguồn chưa ghi người liên hệ công khai."]].forEach(function (part) {
      item.appendChild(el("h4", part[0]));
      item.appendChild(part[1] || el("p", part[2], "muted"));
    });
    if (!shared) {
      var remove = el("button", "Bỏ khỏi danh sách", "screen-only");
      remove.type = "button";
      remove.setAttribute("aria-label", "Bỏ «" + m.title + "» khỏi chuyến tham quan");
      remove.addEventListener("click", function () { drop(m); });
      item.appendChild(remove);
    }
    return item;
  }

  function drop(m) {
    ids = ids.filter(function (id) { return id !== m.id; });
    store(ids);
    draw().then(function () { say("Đã bỏ «" + m.title + "». Còn " + ids.length + " mô hình."); });
  }
  function say(text) { $("planner-status").textContent = text; }

  function load(id) {
    return fetch(JSON_URL.replace("{id}", id)).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (data) { return data.model; }, function () { return { id: id, missing: true }; });
  }

  function draw() {
    return Promise.all(ids.map(load)).then(function (models) {
      var list = $("planner-list"), toc = $("planner-toc");
      list.textContent = "";
      toc.textContent = "";
      var gone = models.filter(function (m) { return m.missing; });
      models = models.filter(function (m) { return !m.missing; });
      var groups = {};
      models.forEach(function (m) {
        var name = m.derived.province ? m.derived.province.name : "Khác";
        (groups[name] = groups[name] || []).push(m);
      });
      Object.keys(groups).sort(function (a, b) { return a.localeCompare(b, "vi"); }).forEach(function (name, i) {
        var box = el("section", null, "province");
        var h = el("h2", name);
        h.id = "tq-tinh-" + i;
        box.setAttribute("aria-labelledby", h.id);
        box.appendChild(h);
        groups[name].forEach(function (m) {
          box.appendChild(section(m));
          var li = el("li");
          li.appendChild(link("#tq-" + m.id, m.title));
          li.appendChild(document.createTextNode(" · " + name));
          toc.appendChild(li);
        });
        list.appendChild(box);
      });
      if (gone.length) {
        list.appendChild(el("p", "Không còn tìm thấy trên trang: " + gone.map(function (m) { return m.id; }).join(", ") + ".", "notice"));
      }
      var share = location.origin + location.pathname + "?ds=" + models.map(function (m) { return m.id; }).join(",");
      $("planner-share").value = share;
      $("cover-count").textContent = models.length + " mô hình ở " + Object.keys(groups).length + " tỉnh, thành phố";
      $("planner-empty").hidden = models.length > 0;
      $("planner-tools").hidden = models.length === 0;
      $("planner-shared").hidden = !shared;
    });
  }

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
