"""Find every photo the site shows, and put processed pictures where Markdown bodies had `<img>`.

Front matter `images:` and body images (`![mô tả](images/x.jpg)` or a raw `<img src=…>`) become
`ImageRef`s located at file:line:col, so a missing photo is reported where the editor wrote it.
After the Markdown stage, each body `<img>` of a processed photo is replaced by the theme's
`picture` macro, so body photos get the same srcset, sizes and dimensions as the gallery.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from types import MappingProxyType

from generator.content.links import outside_code
from generator.core.errors import Diagnostics
from generator.files.images import ImageRef, ImageSet, ProcessedImage
from generator.pages.markup import Body
from generator.content.schema import IMAGE_PATH
from generator.content.validate import Entry, PovertyModel

# Markdown's inline image: ![alt](src "title") or ![alt](<src>); alt may hold escaped brackets.
_MD_IMAGE = re.compile(r"!\[(?P<alt>(?:\\.|[^\]\\])*)\]\(\s*<?(?P<src>[^\s)>]+)>?(?:\s+[\"'(][^)]*)?\)")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)

Macro = Callable[..., str]


def image_refs(models: Iterable[PovertyModel], entries: Iterable[Entry], diag: Diagnostics) -> list[ImageRef]:
    """Every photo used: the `images:` of each model (the first one is its hero), then body images."""
    refs = []
    for model in models:
        for index, image in enumerate(model.images or ()):
            line, col = model.positions.value(("images", index, "src"))
            refs.append(ImageRef(image["src"], model.location(line, col), hero=index == 0))
    for entry in entries:
        refs += body_image_refs(entry, diag)
    return refs


def body_image_refs(entry: Entry, diag: Diagnostics) -> list[ImageRef]:
    """Local images in a Markdown body, outside code; report a bad path or a missing alt there."""
    if "![" not in entry.body and "<img" not in entry.body.lower():
        return []   # the common case: no need to scan line by line
    refs = []
    for line, col, src, alt in _scan(entry.body):
        location = entry.location(entry.body_line + line, col)
        if _REMOTE.match(src):
            continue     # a picture on another site is not ours to resize
        if not IMAGE_PATH.fullmatch(src):
            diag.error(location, "image_path", field="ảnh trong bài", value=src)
        elif not (alt or "").strip():
            diag.error(location, "image_alt_missing", src=src)
        else:
            refs.append(ImageRef(src, location))
    return refs


def _scan(body: str) -> Iterator[tuple[int, int, str, str | None]]:
    """Yield (line offset, column, src, alt) of each image outside fenced code and code spans."""
    for offset, text in outside_code(body):
        for match in _MD_IMAGE.finditer(text):
            yield offset, match.start("src") + 1, match.group("src"), match.group("alt")
        for match in _HTML_IMG.finditer(text):
            attrs = _attributes(match.group(0))
            if "src" in attrs:
                yield offset, match.start() + 1, attrs["src"], attrs.get("alt")


def _attributes(tag: str) -> dict[str, str]:
    return {name.lower(): html.unescape(double if double is not None else single)
            for name, double, single in _ATTR.findall(tag)}


def place_body_images(bodies: Mapping[str, Body], images: ImageSet, picture: Macro,
                      base: str) -> Mapping[str, Body]:
    """Replace each body `<img>` of a processed photo by the `picture` macro's markup."""
    def swap(match: re.Match[str]) -> str:
        attrs = _attributes(match.group(0))
        found: ProcessedImage | None = images.images.get(attrs.get("src", ""))
        if found is None:
            return match.group(0)
        return str(picture(found, attrs.get("alt", ""), base))

    return MappingProxyType({path: body if "<img" not in body.html
                             else replace(body, html=_HTML_IMG.sub(swap, body.html))
                             for path, body in bodies.items()})
