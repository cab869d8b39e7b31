// The problems panel of /admin/: for the entry open in the form, what `showcase check` says about it,
// refreshed after every rebuild of the preview (the server's /__showcase/status counts them).
(function () {
  "use strict";
  const panel = document.createElement("aside");
  panel.id = "showcase-problems";
  panel.setAttribute("aria-live", "polite");
  panel.hidden = true;
  document.body.append(panel);
  let shown = "";

  function entryPath() {
    const match = location.hash.match(/^#\/collections\/(models|localities)\/entries\/([a-z0-9-]+)/);
    return match ? `content/${match[1]}/${match[2]}.md` : null;
  }

  function add(parent, tag, text, className) {
    const node = document.createElement(tag);
    node.textContent = text;
    if (className) node.className = className;
    parent.append(node);
    return node;
  }

  function render(path, info) {
    panel.replaceChildren();
    add(panel, "h2", `Kiểm tra ${path}`);
    const errors = info.problems.filter((p) => p.severity === "error").length;
    panel.dataset.state = errors ? "error" : info.problems.length ? "warning" : "ok";
    if (!info.problems.length) add(panel, "p", "Không có lỗi, không có cảnh báo.");
    for (const problem of info.problems) add(panel, "pre", problem.text, problem.severity);
    if (info.draft) {
      add(panel, "p", "Bản nháp: chưa có trang công khai. Bỏ đánh dấu «Bản nháp» rồi lưu để xuất bản.");
    }
    if (info.page) {
      const link = add(panel, "a", "Xem trang trong bản xem trước");
      link.href = info.page;
      link.target = "_blank";
    }
    panel.hidden = false;
  }

  async function refresh() {
    const path = entryPath();
    if (!path) {
      panel.hidden = true;
      if (shown) dispatchEvent(new CustomEvent("showcase:problems", { detail: null }));
      shown = "";
      return;
    }
    try {
      const response = await fetch("/__showcase/status", { cache: "no-store" });
      if (response.status === 404) {      // hosted on a Git backend: no preview to ask
        clearInterval(timer);
        removeEventListener("hashchange", refresh);
        return;
      }
      const status = await response.json();
      const key = `${path} ${status.builds}`;
      if (key === shown) return;
      const info = await fetch(`problems?path=${encodeURIComponent(path)}`, { cache: "no-store" })
        .then((r) => r.json());
      shown = key;
      render(path, info);
      // The preview pane (showcase-preview.js) shows the same problems under the entry.
      dispatchEvent(new CustomEvent("showcase:problems", { detail: { path, info } }));
    } catch (error) {
      shown = "";     // the preview is restarting: try again on the next tick
    }
  }

  addEventListener("hashchange", refresh);
  const timer = setInterval(refresh, 1000);
})();
