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


def overlay_html(diagnostics: Iterable[Diagnostic], read_text: Callable[[str], str], crash: str = "") -> str:
    """List every problem with its place, message, hint and the offending lines (the line marked).

    `crash` is the traceback of a bug in the generator itself, shown when there are no diagnostics.
    """
    problems = list(diagnostics)
    errors = sum(1 for d in problems if d.severity == "error") or int(bool(crash))
    items = "".join(_problem(d, read_text) for d in problems)
    if crash:
        items += ("<li><p>Lỗi nội bộ của chương trình (không phải lỗi nội dung). Hãy gửi nội dung "
                  f'dưới đây cho nhóm kỹ thuật.</p><pre style="{_PRE}">{escape(crash)}</pre></li>')
    return (
        f'<div id="{OVERLAY_ID}" role="alert" lang="vi" style="{_BOX}">'
        f'<div style="{_PANEL}">'
        f'<h2 style="margin:0 0 .5rem;color:#b00020">Không dựng lại được trang: {errors} lỗi, '
        f'{len(problems) - errors} cảnh báo</h2>'
        "<p>Trang bạn đang xem là bản dựng tốt gần nhất; chưa có thay đổi nào bị mất. "
        "Sửa các chỗ dưới đây rồi lưu tệp, trang sẽ tự tải lại.</p>"
        f'<ol style="padding-left:1.25rem">{items}</ol>'
        f'<button type="button" onclick="document.getElementById(\'{OVERLAY_ID}\').remove()">'
        "Ẩn thông báo</button></div></div>")


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
                row = f'<mark style="background:#ffd7d7">{row}</mark>'
                if loc.col:
                    row += f"      | {' ' * (loc.col - 1)}^"
            rows.append(row)
        html += f'<pre style="{_PRE}">' + "\n".join(rows) + "</pre>"
    return html + "</li>"
