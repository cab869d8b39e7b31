// The preview pane of /admin/: the entry as readers see it (Vietnamese labels, place names, figures),
// not the ids the file holds. Labels come from the generated config itself (select options), places
// and models from the preview's last build (GET names; absent on a Git backend, where the picker's
// own data or the id is shown), and the problems from the panel beside the form (showcase-panel.js).
(function () {
  "use strict";
  const CMS = window.CMS;
  const h = window.h;
  const number = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 6 });
  const state = { names: { models: {}, localities: {} }, builds: -1, problems: null };

  function changed() {
    dispatchEvent(new Event("showcase:preview"));
  }

  function loadNames() {
    fetch("names", { cache: "no-store" })
      .then((r) => (r.ok ? r.json() : null))
      .then((names) => {
        if (names) {
          state.names = names;
          changed();
        }
      })
      .catch(() => {});
  }

  // The panel says when the preview was rebuilt and what `showcase check` found in the open entry.
  addEventListener("showcase:problems", (event) => {
    state.problems = event.detail;
    if (event.detail && event.detail.info.builds !== state.builds) {
      state.builds = event.detail.info.builds;
      loadNames();
    }
    changed();
  });
  loadNames();

  // What a reader sees for `value` of `field`: an option's label, a picked entry's name, a number.
  function shown(field, value, metadata) {
    if (value === null || value === undefined || value === "") return "";
    const options = field && field.get("options");
    if (options) {
      const option = options.find((o) => String(o.get("value")) === String(value));
      return option ? option.get("label") : String(value);
    }
    if (field && field.get("widget") === "relation") {
      const target = field.get("collection");
      const picked = metadata && metadata.getIn([field.get("name"), target, value]);
      const display = field.getIn(["display_fields", 0]);
      return state.names[target]?.[value] || (picked && picked.get && picked.get(display)) || String(value);
    }
    // A year is written as it is (2021, not "2.021"); other numbers the Vietnamese way (7,5; 12.000).
    const year = field && field.get("value_type") === "int" && field.get("min") >= 1000;
    if (typeof value === "number" && !year) return number.format(value);
    return String(value);
  }

  function list(field, values, metadata) {
    return values.map((v) => shown(field, v, metadata)).filter(Boolean).join(", ");
  }

  function figure(item, sources) {
    const source = sources[item.source - 1];
    const value = typeof item.value === "number" ? number.format(item.value) : item.value;
    return h("li", { key: item.label },
      h("strong", {}, item.label || ""), `: ${value ?? ""} ${item.unit || ""}`,
      item.year ? ` (${item.year})` : "",
      source ? h("span", { className: "source" }, ` — nguồn: ${source.title || ""}`) : null);
  }

  // Any other field, generically: a group as a nested list, a list of groups item by item.
  function value(field, data, metadata, getAsset) {
    const widget = field.get("widget");
    if (data === null || data === undefined || data === "" || (Array.isArray(data) && !data.length)) return null;
    if (widget === "boolean") return data ? "Có" : "Không";
    if (widget === "image") return h("img", { src: String(getAsset(data)), alt: "" });
    if (widget === "object") return rows(field.get("fields"), data, metadata, getAsset);
    if (Array.isArray(data)) {
      if (widget !== "list" || !field.get("fields")) return list(field.get("field") || field, data, metadata);
      return h("ol", {}, data.map((item, i) => h("li", { key: i }, rows(field.get("fields"), item, metadata, getAsset))));
    }
    return shown(field, data, metadata);
  }

  function rows(fields, data, metadata, getAsset) {
    const items = [];
    fields.forEach((field) => {
      const name = field.get("name");
      const shownValue = value(field, (data || {})[name], metadata, getAsset);
      if (shownValue === null || shownValue === "") return;
      items.push(h("dt", { key: `${name}-t` }, field.get("label")), h("dd", { key: `${name}-d` }, shownValue));
    });
    return items.length ? h("dl", {}, items) : null;
  }

  function problems(entry) {
    // A new entry has no path in the preview until it is opened again: the panel's is the one shown.
    const found = state.problems;
    if (!found || (entry.get("path") && found.path !== entry.get("path"))) return null;
    const info = found.info;
    return h("section", { className: "problems" },
      h("h2", {}, "Kiểm tra"),
      info.problems.length
        ? info.problems.map((p, i) => h("pre", { key: i, className: p.severity }, p.text))
        : h("p", {}, "Không có lỗi, không có cảnh báo."));
  }

  const SHOWN_ABOVE = ["title", "summary", "name", "locality", "figures", "images", "body"];

  function preview(kind) {
    return window.createClass({
      componentDidMount() {
        this.redraw = () => this.forceUpdate();
        addEventListener("showcase:preview", this.redraw);
      },
      componentWillUnmount() {
        removeEventListener("showcase:preview", this.redraw);
      },
      render() {
        const { entry, collection, fieldsMetaData, getAsset, widgetFor } = this.props;
        const data = entry.get("data").toJS();
        const fields = collection.get("fields");
        const field = (name) => fields.find((f) => f.get("name") === name);
        const place = kind === "model" ? shown(field("locality"), data.locality, fieldsMetaData) : "";
        const rest = fields.filter((f) => !SHOWN_ABOVE.includes(f.get("name")));
        return h("article", { className: "showcase-preview" },
          h("h1", {}, kind === "model" ? data.title || "" : data.name || ""),
          place ? h("p", { className: "place" }, place) : null,
          data.summary ? h("p", { className: "lead" }, data.summary) : null,
          problems(entry),
          (data.figures || []).length
            ? h("section", {}, h("h2", {}, "Số liệu"),
              h("ul", { className: "figures" }, data.figures.map((f) => figure(f, data.sources || []))))
            : null,
          (data.images || []).filter((i) => i && i.src).map((image) => h("figure", { key: image.src },
            h("img", { src: String(getAsset(image.src)), alt: image.alt || "" }),
            image.caption ? h("figcaption", {}, image.caption) : null)),
          rows(rest, data, fieldsMetaData, getAsset),
          h("div", { className: "body" }, widgetFor("body")));
      },
    });
  }

  CMS.registerPreviewStyle(new URL("showcase-preview.css", document.baseURI).href);
  CMS.registerPreviewTemplate("models", preview("model"));
  CMS.registerPreviewTemplate("localities", preview("locality"));
})();
