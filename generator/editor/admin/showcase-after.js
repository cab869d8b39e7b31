// Loaded after Decap CMS: fill the few texts its Vietnamese locale lacks, then start it.
(function () {
  "use strict";
  const vi = window.CMS.getLocale("vi");
  if (vi && vi.editor && vi.editor.editorWidgets) {
    vi.editor.editorWidgets.list = { add: "Thêm %{item}", addType: "Thêm %{item}" };
    window.CMS.registerLocale("vi", vi);
  }
  window.CMS.init();
})();
