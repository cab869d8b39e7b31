"""Links and raw HTML in Markdown bodies: what a link points to, and what the sanitiser will remove.

Editors link to another page by its file, as their editor shows it: `[xem](other-model.md)` from a
model, `(../localities/loc-yen.md)` to a locality, or by the site path (`/mo-hinh/x/`). `resolve_link`
turns each into the page's URL; `check_bodies` reports, at file:line:col, a link to a page that does
not exist, a link that would break once published, a scheme other than http(s), mailto and tel, and
HTML that the published page will not carry (scripts, frames, event handlers).
"""
from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from generator.content.graph import URLS
from generator.content.load import CONTENT_DIRS
from generator.content.fields import closest
from generator.content.validate import Entry
from generator.core.errors import Diagnostics

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_KIND_OF_DIR = {folder: kind for kind, folder in CONTENT_DIRS.items()}
_PAGE = {kind: re.compile("^" + re.escape(URLS[kind][1]).replace(r"\{\}", "(?P<id>[^/]+)") + "$")
         for kind in CONTENT_DIRS}

# Inline `[text](target "title")` and `<target>`, reference definitions `[id]: target`, raw href/src.
_MD_LINK = re.compile(r"(?<!!)\]\(\s*<?(?P<target>[^\s)>]+)>?")
_REF_DEF = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*<?(?P<target>\S+?)>?(?:\s|$)")
_AUTOLINK = re.compile(r"<(?P<target>[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*)>")
_HTML_URL = re.compile(r"""\b(?:href|src|action|formaction)\s*=\s*["']?(?P<target>[^"'\s>]+)""", re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"(`+).+?\1")
# What a body may contain once published (pages/markup.py cleans bodies with nh3 on this allowlist):
# everything Markdown and its extensions produce (headings with ids, tables, footnotes, attr_list
# classes) and the plain HTML editors use (figures, line breaks, abbreviations). Anything else, such as
# scripts, frames, forms, styles and event handlers, is removed, and `check_bodies` names each removal.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "s", "samp", "small", "source", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
    "var", "wbr"})
ALLOWED_ATTRIBUTES: Mapping[str, frozenset[str]] = {tag: frozenset(names) for tag, names in {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "rel"}, "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type", "media"}, "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"}, "ol": {"start", "reversed", "type"}, "li": {"value"},
    "time": {"datetime"}, "q": {"cite"}, "blockquote": {"cite"}, "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"}, "details": {"open"}, "col": {"span"}, "colgroup": {"span"},
}.items()}
_TAG = re.compile(r"<(?P<name>[a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])(?P<attrs>[^>]*)>?")
_TAG_ATTR = re.compile(r"""(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""")


@dataclass(frozen=True, slots=True)
class Link:
    """Where a body link goes: its URL (None when it must not be published) and the page it names."""

    url: str | None
    kind: str | None = None       # "model" or "locality" when it names one of ours
    id: str | None = None
    problem: str | None = None    # a message code when the link cannot be published as written


def resolve_link(target: str, source_kind: str, base_path: str) -> Link:
    """Resolve a link as written in the body of a `source_kind` file of a site served under `base_path`."""
    text = html.unescape(target).strip()
    if not text or text.startswith(("#", "?")):
        return Link(text)
    scheme = _SCHEME.match(text)
    if scheme:
        return Link(text) if scheme[1].lower() in SAFE_SCHEMES else Link(None, problem="link_scheme")
    if text.startswith("//"):
        return Link(text)
    path, mark, fragment = text.partition("#")
    fragment = mark + fragment
    if path.endswith(".md"):
        full = posixpath.normpath(posixpath.join(CONTENT_DIRS[source_kind], path))   # type: ignore[index]
        folder, name = posixpath.split(full)
        kind = _KIND_OF_DIR.get(folder)
        if kind is None:
            return Link(None, problem="link_outside")
        ident = name[:-3]
        return Link(base_path + URLS[kind][1].format(ident) + fragment, kind, ident)
    if path.startswith("/"):
        rel = path[len(base_path):] if path.startswith(base_path) else path.lstrip("/")
        for kind, pattern in _PAGE.items():
            found = pattern.match(rel if rel.endswith("/") else rel + "/")
            if found:
                return Link(base_path + URLS[kind][1].format(found["id"]) + fragment, kind, found["id"])
        return Link(base_path + rel + fragment)
    if path.startswith("images/"):
        return Link(text)           # a photo: image_refs.py checks and places it
    return Link(None, problem="link_relative")


def check_bodies(entries: Iterable[Entry], published: Mapping[str, frozenset[str]],
                 on_disk: Mapping[str, frozenset[str]], base_path: str, diag: Diagnostics) -> None:
    """Report broken or unsafe links and HTML the published page will not carry, located in the body.

    `published` holds the ids that get a page, `on_disk` every id, by kind.
    """
    for entry in entries:
        body = entry.body
        if "](" not in body and "<" not in body and "]:" not in body:
            continue     # includes the pages the gazetteer makes, which have no file and no body
        kind = source_kind(entry.path)
        for line, col, target in _links(body):
            location = entry.location(entry.body_line + line, col)
            link = resolve_link(target, kind, base_path)
            if link.problem:
                diag.error(location, link.problem, target=target[:100])
            elif link.kind and link.id not in published[link.kind]:
                ids = sorted(published[link.kind])
                if link.id in on_disk[link.kind]:
                    diag.error(location, "link_unpublished", target=target, id=link.id)
                else:
                    near = closest(link.id or "", ids)
                    diag.error(location, "link_broken_closest" if near else "link_broken", target=target,
                               id=link.id, closest=near, folder=CONTENT_DIRS[link.kind])  # type: ignore[index]
        for line, col, what in _unsafe_html(body):
            diag.warning(entry.location(entry.body_line + line, col), "html_removed", what=what)


def source_kind(path: str) -> str:
    """"model" or "locality", from where the file is."""
    return _KIND_OF_DIR[posixpath.dirname(path)]


def outside_code(body: str) -> Iterator[tuple[int, str]]:
    """Each line of the body (by offset) with fenced code skipped and code spans blanked (same columns)."""
    fence = None
    for offset, text in enumerate(body.split("\n")):
        marker = _FENCE.match(text)
        if marker:
            fence = None if fence == marker.group(1) else (fence or marker.group(1))
            continue
        if fence:
            continue
        yield offset, _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)


def _links(body: str) -> Iterator[tuple[int, int, str]]:
    for offset, text in outside_code(body):
        for pattern in (_MD_LINK, _REF_DEF, _AUTOLINK, _HTML_URL):
            for match in pattern.finditer(text):
                target = match.group("target")
                if pattern is _HTML_URL and match.group(0).lower().startswith("src") and not _SCHEME.match(target):
                    continue    # a local <img src>: image_refs.py checks photos
                yield offset, match.start("target") + 1, target


def _unsafe_html(body: str) -> Iterator[tuple[int, int, str]]:
    """Each tag or attribute of raw HTML in the body that is not on the allowlist."""
    if "<" not in body:
        return
    for offset, text in outside_code(body):
        for tag in _TAG.finditer(text):
            name = tag["name"].lower()
            if name not in ALLOWED_TAGS:
                yield offset, tag.start() + 1, f"<{name}>"
                continue
            allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(name, frozenset())
            for attr in _TAG_ATTR.finditer(tag["attrs"]):
                if attr["name"].lower() not in allowed:
                    yield offset, tag.start("attrs") + attr.start() + 1, f"thuộc tính {attr['name'].lower()}="
