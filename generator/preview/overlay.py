"""The error box `showcase serve` lays over every page while the last rebuild failed.

Plain HTML with inline styles, so a broken theme stylesheet cannot hide it; texts in Vietnamese.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from generator.core.errors import Diagnostic, source_excerpt
from generator.core.messages import severity_label

OVERLAY_ID = "showcase-loi"
_BOX = ("position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.88);"
        "color:#111;font:16px/1.5 system-ui,sans-serif;padding:2rem 1rem")
_PANEL = "max-width:60rem;margin:0 auto;background:#fff;border-top:6px solid #b00020;padding:1.5rem"
_PRE = "background:#f6f6f6;padding:.5rem;overflow:auto;font:14px/1.4 ui-monospace,monospace"


NOTICE_ID = "showcase-canh-bao"
# Warnings do not block the page: a folded box in a corner, opened on demand.
_NOTICE = ("position:fixed;right:.5rem;bottom:.5rem;z-index:2147483646;max-width:min(40rem,95vw);"
           "max-height:60vh;overflow:auto;background:#fff8e1;color:#111;border:2px solid #8a5a00;"
           "font:15px/1.5 system-ui,sans-serif;padding:.25rem .75rem")


def overlay_html(diagnostics: Iterable[Diagnostic], read_text: Callable[[str], str], crash: str = "") -> str:
    """List every problem with its place, message, hint and the offending lines (the line marked).

    `crash` is the traceback of a bug in the generator itself: the editor reads that it is not their
    mistake, and the traceback is folded away for the technical team.
    """
    problems = list(diagnostics)
    errors = sum(1 for d in problems if d.severity == "error")
    items = "".join(_problem(d, read_text) for d in problems)
    if crash:
        items += ('<li style="margin:1rem 0"><p style="margin:0"><strong style="color:#b00020">Lỗi nội bộ</strong> '
                  "của chương trình, không phải lỗi trong nội dung bạn viết. Nội dung của bạn không bị mất. "
                  "Hãy lưu lại tệp một lần nữa; nếu vẫn gặp, gửi phần chi tiết dưới đây cho nhóm kỹ thuật.</p>"
                  "<details><summary>Chi tiết kỹ thuật (cho nhóm kỹ thuật)</summary>"
                  f'<pre style="{_PRE}">{escape(crash)}</pre></details></li>')
    title = (f"Không dựng lại được trang: {errors} lỗi, {len(problems) - errors} cảnh báo" if not crash
             else "Không dựng lại được trang: lỗi nội bộ")
    return (
        f'<div id="{OVERLAY_ID}" role="alert" lang="vi" style="{_BOX}">'
        f'<div style="{_PANEL}">'
        f'<h2 style="margin:0 0 .5rem;color:#b00020">{title}</h2>'
        "<p>Trang bạn đang xem là bản dựng tốt gần nhất; chưa có thay đổi nào bị mất. "
        "Sửa các chỗ dưới đây rồi lưu tệp, trang sẽ tự tải lại.</p>"
        f'<ol style="padding-left:1.25rem">{items}</ol>'
        f'<button type="button" onclick="document.getElementById(\'{OVERLAY_ID}\').remove()">'
        "Ẩn thông báo</button></div></div>")


def notice_html(warnings: Iterable[Diagnostic], read_text: Callable[[str], str], title: str = "",
                box_id: str = NOTICE_ID, open_: bool = False) -> str:
    """The warnings of a build that succeeded, folded in a corner box that never covers the page.

    With a `title` the box is shown even without warnings (a draft's page says it is a draft).
    """
    problems = list(warnings)
    if not problems and not title:
        return ""
    items = "".join(_problem(d, read_text) for d in problems)
    heading = title or f"{len(problems)} cảnh báo"
    return (f'<details id="{box_id}" lang="vi"{" open" if open_ else ""} style="{_NOTICE}"><summary '
            f'style="cursor:pointer;font-weight:bold;color:#8a5a00">{escape(heading)} (bấm để xem)</summary>'
            + (f'<ol style="padding-left:1.25rem">{items}</ol>' if items else "") + "</details>")


DRAFT_ID = "showcase-ban-nhap"


def draft_html(path: str, problems: Iterable[Diagnostic], read_text: Callable[[str], str]) -> str:
    """What the preview shows on a draft's own page: that it is a draft, and its own problems, open."""
    own = list(problems)
    title = (f"Bản nháp {path}: chỉ có trong bản xem trước, chưa xuất bản"
             + (f"; {len(own)} điều cần sửa trước khi xuất bản" if own else ""))
    return notice_html(own, read_text, title, box_id=DRAFT_ID, open_=bool(own))


def draft_page(box: str) -> str:
    """The preview's page at a draft's address: drafts are not rendered, their problems are listed."""
    return ('<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Bản nháp</title></head><body>'
            '<main style="font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem">'
            "<h1>Bản nháp: chưa có trang</h1><p>Bản nháp không được dựng thành trang. Hộp bên dưới liệt kê "
            "những gì cần sửa (nếu có); khi đã đủ, đổi thành <code>draft: false</code> rồi lưu tệp để xem trang "
            "thật.</p></main>" + box + "</body></html>")


def _problem(diagnostic: Diagnostic, read_text: Callable[[str], str]) -> str:
    loc = diagnostic.location
    colour = "#b00020" if diagnostic.severity == "error" else "#8a5a00"
    html = (f'<li style="margin:1rem 0"><p style="margin:0"><code>{escape(str(loc))}</code> '
            f'<strong style="color:{colour}">{escape(severity_label(diagnostic.severity))}</strong>: '
            f"{escape(diagnostic.message)}</p>")
    if diagnostic.hint:
        html += f'<p style="margin:.25rem 0">{escape(severity_label("hint"))}: {escape(diagnostic.hint)}</p>'
    lines = source_excerpt(read_text(loc.path), loc.line, context=2)
    if lines:
        rows = []
        for number, text in lines:
            row = f"{number:>5} | {escape(text)}"
            if number == loc.line:
                rows.append(f'<mark style="background:#ffd7d7">{row}</mark>')
                if loc.col:     # on a line of its own, under the column (as the terminal shows it)
                    rows.append(f"      | {' ' * (loc.col - 1)}^")
                continue
            rows.append(row)
        html += f'<pre style="{_PRE}">' + "\n".join(rows) + "</pre>"
    return html + "</li>"
