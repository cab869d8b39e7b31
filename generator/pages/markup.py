"""Convert Markdown bodies to HTML with a table of contents, using one configured converter."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import markdown

from generator.core.parallel import fork_map
from generator.core.slugs import slug

EXTENSIONS = ["toc", "tables", "attr_list", "footnotes", "sane_lists", "smarty"]
# Python-Markdown's default heading ids drop "đ" ("Tiêu đề" -> "tieu-e"); use the site's slug.
EXTENSION_CONFIGS = {
    "toc": {"slugify": lambda value, separator: slug(value), "toc_depth": "2-3"},
    "smarty": {"smart_quotes": False},
}


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
    html = converter.convert(text)
    return Body(html, tuple(_flatten(converter.toc_tokens)))


def render_bodies(texts: list[str], workers: int = 1) -> list[Body]:
    """Render Markdown bodies, in order; with several workers in forked processes, one converter each."""
    return list(fork_map(render_body, texts, workers, new_converter))


def body_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _flatten(tokens: list[dict]) -> Iterable[Heading]:
    for token in tokens:
        yield Heading(token["level"], token["id"], token["name"])
        yield from _flatten(token["children"])
