"""Command line: `showcase build | check | serve | schema | new`. The only module that prints.

Exit codes: 0 ok, 1 content errors, 2 usage or configuration errors, 70 an unexpected crash.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any, NoReturn, TextIO

from generator import __version__
from generator.build import BuildResult, build
from generator.content.config import CONFIG_CODES, Config, load_config
from generator.content.schema import LOCALITY_LEVELS
from generator.core.memo import DiskMemo
from generator.core.errors import ConfigError, Diagnostic, source_excerpt
from generator.core.messages import translate_usage_error
from generator.core.parallel import default_workers
from generator.editor.scaffold import ScaffoldError, create_scaffold, preview_path

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_CRASH = 0, 1, 2, 70
STAGE_LABELS = {"load": "đọc", "validate": "kiểm tra", "images": "ảnh", "markup": "markdown", "render": "kết xuất",
                "write": "ghi", "search": "tìm kiếm"}


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Vietnamese headings, help option and errors (its own texts are English)."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.update(add_help=False, formatter_class=_Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title, self._optionals.title = "đối số", "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi: {translate_usage_error(message)}\n")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="showcase", description="Tạo trang web tĩnh giới thiệu các mô hình giảm nghèo.")
    parser.add_argument("--version", action="version", version=f"showcase {__version__}",
                        help="hiện số phiên bản rồi thoát")
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="thư mục của trang, nơi có site.yaml (mặc định: thư mục hiện tại)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH", parser_class=_Parser,
                                title="lệnh")

    p_build = sub.add_parser("build", help="dựng trang vào site/", description=(
        "Kiểm tra toàn bộ nội dung rồi dựng trang. Nếu có lỗi thì không ghi gì: site/ giữ nguyên."))
    p_build.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi")
    p_build.add_argument("--out", type=Path, help="thư mục xuất (mặc định: site/)")
    p_build.add_argument("--quiet", "-q", action="store_true", help="không in tiến độ và tóm tắt")
    p_build.add_argument("--no-search", dest="search", action="store_false",
                         help="không tạo chỉ mục tìm kiếm (trang tìm kiếm sẽ báo là chưa có chỉ mục)")
    p_build.add_argument("--publish", action="store_true",
                         help="để đưa lên máy chủ web: thêm bản nén .br/.gz và tên tệp CSS/JS theo nội dung")

    p_check = sub.add_parser("check", help="kiểm tra nội dung, không ghi gì", description=(
        "Kiểm tra mọi tệp trong content/ và liệt kê bản nháp; không ghi tệp nào."))
    p_check.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi")
    p_check.add_argument("--format", choices=("text", "json"), default="text", help="định dạng kết quả")

    p_serve = sub.add_parser("serve", help="xem trước: dựng, phục vụ và tự tải lại khi lưu tệp", description=(
        "Dựng trang, mở máy chủ xem trước và theo dõi content/, themes/, site.yaml: mỗi lần lưu tệp, "
        "trang được dựng lại và trình duyệt tự tải lại. Lỗi hiện ngay trên trang."))
    p_serve.add_argument("--port", type=int, default=8000, help="cổng (mặc định: 8000)")
    p_serve.add_argument("--host", default="127.0.0.1",
                         help="địa chỉ lắng nghe (mặc định: 127.0.0.1, chỉ máy này xem được)")
    p_serve.add_argument("--open", action="store_true", help="mở trình duyệt sau khi dựng xong")
    p_serve.add_argument("--out", type=Path, help="thư mục dựng bản xem trước (mặc định: .cache/preview/)")

    p_schema = sub.add_parser("schema", help="ghi JSON Schema của phần đầu tệp (cho VS Code)", description=(
        "Ghi model.schema.json và locality.schema.json để trình soạn thảo gợi ý và kiểm tra các trường."))
    p_schema.add_argument("--out", type=Path, help="thư mục ghi (mặc định: docs/schema/)")

    p_admin = sub.add_parser("admin-config", help="ghi trình biên tập trên trình duyệt (Decap CMS) để tự lưu trữ",
                             description=(
        "Ghi config.yml của trình biên tập (sinh từ mô hình nội dung và site.yaml), trang index.html và các "
        "tệp của Decap CMS vào một thư mục, để đặt ở /admin/ của trang; xem docs/xuat-ban.md."))
    p_admin.add_argument("--out", type=Path, help="thư mục ghi (mặc định: site/admin/)")

    p_new = sub.add_parser("new", help="tạo tệp nội dung mới từ mẫu", description=(
        'Tạo tệp mẫu có đủ các trường, ví dụ: showcase new model "Trồng hồng ở xã Lộc Yên".'))
    p_new.add_argument("kind", choices=("model", "locality"), help="model (mô hình) hoặc locality (địa phương)")
    p_new.add_argument("name", help="tên có dấu; mã tệp được tạo từ tên này")
    p_new.add_argument("--level", choices=LOCALITY_LEVELS, help=(
        "cấp của địa phương khi danh mục không biết tên này (mặc định: theo chữ đầu tên: xã, phường, tỉnh…)"))
    p_new.add_argument("--region", help="vùng của địa phương cấp tỉnh: mã trong site.yaml › regions")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        if args.command == "new":
            return run_new(args)
        config = load_config(args.root)
        if args.command == "check":
            return run_check(config, args)
        if args.command == "serve":
            return run_serve(config, args)
        if args.command == "schema":
            return run_schema(config, args)
        if args.command == "admin-config":
            return run_admin_config(config, args)
        return run_build(config, args)
    except ConfigError as exc:
        print_diagnostic(exc.diagnostic, None, sys.stderr)
        return EXIT_USAGE
    except Exception:  # a bug of ours, not of the content: say so, with the traceback for the report
        traceback.print_exc()
        print("showcase: lỗi nội bộ của chương trình (không phải lỗi nội dung). "
              "Hãy gửi toàn bộ thông báo trên cho nhóm kỹ thuật.", file=sys.stderr)
        return EXIT_CRASH


def run_new(args: argparse.Namespace) -> int:
    try:
        path = create_scaffold(args.root, args.kind, args.name, args.level, args.region)
    except ScaffoldError as exc:
        print(f"showcase new: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    print(path.relative_to(args.root).as_posix() if not path.is_absolute() or args.root.is_absolute()
          else path)
    if args.kind == "model":
        print(f"Đã tạo bản nháp (draft: true). Xem trước: chạy 'showcase serve' rồi mở "
              f"http://127.0.0.1:8000{preview_path(args.root, args.kind, path.stem)}")
    return EXIT_OK


def run_check(config: Config, args: argparse.Namespace) -> int:
    result = build(config, None, strict=args.strict)
    if args.format == "json":
        json.dump({"ok": result.ok, "diagnostics": [d.as_dict() for d in result.diagnostics.sorted()],
                   "drafts": [d.path for d in result.drafts]}, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return _exit_code(result)
    print_diagnostics(config, result, sys.stderr)
    for draft in result.drafts:
        print(f"{draft.path}: bản nháp (draft: true), không xuất bản")
    graph = result.graph
    counts = f"{len(graph.models)} mô hình, {len(graph.localities)} địa phương" if graph else ""
    print(f"Đã kiểm tra {counts}, {len(result.drafts)} bản nháp: {_problem_counts(result)}.")
    return _exit_code(result)


def _exit_code(result: BuildResult) -> int:
    """0 when the build succeeded; 2 when a key of site.yaml is malformed (the configuration, as when
    site.yaml is missing), else 1 (content, including a site.yaml reference to a missing model)."""
    if result.ok:
        return EXIT_OK
    return EXIT_USAGE if any(d.code in CONFIG_CODES for d in result.diagnostics.errors) else EXIT_CONTENT


def run_build(config: Config, args: argparse.Namespace) -> int:
    out_dir = args.out if args.out else config.root / "site"
    interactive = sys.stderr.isatty() and not args.quiet
    started = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        if interactive:
            elapsed = time.perf_counter() - started
            sys.stderr.write(f"\r\033[K{STAGE_LABELS[stage]}: {done}/{total} · {elapsed:.1f} giây")
            sys.stderr.flush()

    result = build(config, out_dir, strict=args.strict, search=args.search, progress=progress,
                   memo=DiskMemo(config.root), workers=default_workers(), publish=args.publish)
    if interactive:
        sys.stderr.write("\r\033[K")
    print_diagnostics(config, result, sys.stderr)
    if not result.ok:
        print(f"Không dựng trang vì {_problem_counts(result)}; {out_dir} được giữ nguyên.", file=sys.stderr)
        return _exit_code(result)
    if interactive:
        print(summary_line(result, time.perf_counter() - started), file=sys.stderr)
    return EXIT_OK


def run_serve(config: Config, args: argparse.Namespace) -> int:
    from generator.preview.serve import is_loopback, serve   # tornado is only imported when serving

    if not is_loopback(args.host):
        print(f"Cảnh báo: máy chủ xem trước đang mở ở địa chỉ {args.host}: mọi máy trong cùng mạng đều xem "
              "được cả bản nháp và nội dung chưa duyệt. Chỉ dùng khi thật cần; mặc định là 127.0.0.1.",
              file=sys.stderr)
    out_dir = args.out if args.out else config.root / ".cache" / "preview"

    def log(text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    try:
        serve(config.root, out_dir, host=args.host, port=args.port, open_browser=args.open, log=log)
    except OSError as exc:
        print(f"showcase serve: không mở được cổng {args.port} trên {args.host} ({exc.strerror or exc}). "
              "Hãy chọn cổng khác bằng --port.", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def run_schema(config: Config, args: argparse.Namespace) -> int:
    from generator.editor.editor_schema import write_schemas

    out_dir = args.out if args.out else config.root / "docs" / "schema"
    for path in write_schemas(config, out_dir):
        print(path)
    return EXIT_OK


def run_admin_config(config: Config, args: argparse.Namespace) -> int:
    from generator.editor.admin_app import DECAP_DIST, OWN_FILES
    from generator.editor.admin_config import write_admin

    if not (DECAP_DIST / "decap-cms.js").is_file():
        print(f"showcase admin-config: không tìm thấy Decap CMS ({DECAP_DIST}); hãy chạy `make node_modules/.installed`.",
              file=sys.stderr)
        return EXIT_USAGE
    out_dir = args.out if args.out else config.root / "site" / "admin"
    written = write_admin(config, out_dir, OWN_FILES, DECAP_DIST)
    print(f"{out_dir / 'config.yml'} (và {len(written) - 1} tệp của trình biên tập)")
    return EXIT_OK


def summary_line(result: BuildResult, elapsed: float) -> str:
    report = result.report
    assert report is not None
    stages = " · ".join(f"{STAGE_LABELS[k]} {v:.2f}s" for k, v in result.timings.items())
    return (f"Xong: {result.pages} trang; ghi {report.written} tệp, {report.unchanged} không đổi, "
            f"xóa {report.removed}; {search_summary(result)}{len(result.diagnostics.warnings)} cảnh báo · {stages} · "
            f"tổng {elapsed:.2f}s")


def search_summary(result: BuildResult) -> str:
    index = result.search.index if result.search else None
    if index is None:
        return ""
    return f"chỉ mục tìm kiếm {index.documents} trang ({index.changed} thay đổi); "


def _problem_counts(result: BuildResult) -> str:
    return f"{len(result.diagnostics.errors)} lỗi, {len(result.diagnostics.warnings)} cảnh báo"


def print_diagnostics(config: Config, result: BuildResult, stream: TextIO) -> None:
    texts: dict[str, str] = {}
    for diagnostic in result.diagnostics.sorted():
        path = diagnostic.location.path
        if path not in texts:
            file = config.root / path
            texts[path] = file.read_text("utf-8", errors="replace") if file.is_file() else ""
        print_diagnostic(diagnostic, texts[path], stream)


def print_diagnostic(diagnostic: Diagnostic, text: str | None, stream: TextIO) -> None:
    """Print `path:line:col: lỗi: …`, the offending line with a caret under the column, and the hint."""
    head, _, hint = diagnostic.format().partition("\n")
    print(head, file=stream)
    loc = diagnostic.location
    for number, line in source_excerpt(text or "", loc.line):
        print(f"  {number:>4} | {line}", file=stream)
        if loc.col:
            print(f"       | {' ' * (loc.col - 1)}^", file=stream)
    if hint:
        print(hint, file=stream)
