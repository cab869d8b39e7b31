"""Convert Markdown bodies to HTML with a table of contents, using one configured converter."""
from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

import markdown
import nh3

from generator.core.parallel import fork_map
from generator.core.slugs import slug
from generator.content.links import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, SAFE_SCHEMES, resolve_link, source_kind

EXTENSIONS = ["toc", "tables", "attr_list", "footnotes", "sane_lists", "smarty"]
# Python-Markdown's default heading ids drop "đ" ("Tiêu đề" -> "tieu-e"); use the site's slug.
EXTENSION_CONFIGS = {
    "toc": {"slugify": lambda value, separator: slug(value), "toc_depth": "2-3"},
    "smarty": {"smart_quotes": False},
    # `align` rather than `style="text-align: …"`: the site's Content-Security-Policy drops inline styles.
    "tables": {"use_align_attribute": True},
}

# Links may only be http(s), mailto and tel (or site-relative); see content/links.py for the allowlist.
_CLEANER = nh3.Cleaner(tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                       url_schemes=set(SAFE_SCHEMES), link_rel=None, strip_comments=True,
                       clean_content_tags={"script", "style"})
_HREF = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)(")')


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Body:
    """A rendered Markdown body and the headings for its table of contents."""

    html: str
    toc: tuple[Heading, ...]


def new_converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS,
                             output_format="html")


def render_body(text: str, converter: markdown.Markdown) -> Body:
    """Render one body; the converter is reset so toc and footnote state never leak between pages."""
    converter.reset()
    return Body(_CLEANER.clean(converter.convert(text)), tuple(_flatten(converter.toc_tokens)))


def resolve_body_links(bodies: Mapping[str, Body], base_path: str) -> Mapping[str, Body]:
    """Point links to other pages (`other.md`, `../localities/x.md`, `/mo-hinh/x/`) at their URLs.

    Done after rendering because the URL depends on where the file is and on the site's base path,
    while rendered bodies are shared by text. A link content/links.py reported as unusable loses its href.
    """
    def swap(match: re.Match[str], kind: str) -> str:
        link = resolve_link(html.unescape(match.group(2)), kind, base_path)
        if link.url is None:
            return match.group(1)[:-len(' href="')]
        return match.group(1) + html.escape(link.url) + match.group(3)

    def needs(body: Body) -> bool:
        return 'href="' in body.html and any(_local(m.group(2)) for m in _HREF.finditer(body.html))

    return MappingProxyType({path: replace(body, html=_HREF.sub(lambda m: swap(m, source_kind(path)), body.html))
                             if needs(body) else body for path, body in bodies.items()})


def _local(href: str) -> bool:
    """A link this module rewrites: not a fragment, not an absolute URL, not a photo."""
    return not href.startswith(("#", "http://", "https://", "mailto:", "tel:", "images/"))


def render_bodies(texts: list[str], workers: int = 1) -> list[Body]:
    """Render Markdown bodies, in order; with several workers in forked processes, one converter each."""
    return list(fork_map(render_body, texts, workers, new_converter))


def body_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _flatten(tokens: list[dict]) -> Iterable[Heading]:
    for token in tokens:
        yield Heading(token["level"], token["id"], token["name"])
        yield from _flatten(token["children"])
