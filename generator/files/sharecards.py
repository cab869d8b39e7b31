"""Share cards: a 1200×630 image per model without a photo, for Zalo and Facebook previews (og:image).

The card shows the model's title, where it is, its sectors and the site's name, set in Be Vietnam Pro
(from the npm package @expo-google-fonts/be-vietnam-pro, so nothing is downloaded at build time and
every diacritic is drawn the same on every machine). A card's file name carries a hash of everything
drawn on it, so its URL is known before it is drawn (the page's og:image) and changes when the card
does (share previews cache images by URL). Cards are kept in `.cache/sharecards/` like photo variants.
"""
from __future__ import annotations

import functools
import hashlib
import io
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont

from generator.content.graph import SiteGraph
from generator.content.validate import PovertyModel
from generator.core.collate import sentence_case
from generator.core.errors import Diagnostics, Location
from generator.core.outputs import KeptFile, OutputFile
from generator.core.parallel import fork_map

FONT_DIR = Path(__file__).resolve().parents[2] / "node_modules" / "@expo-google-fonts" / "be-vietnam-pro"
FONTS = {"bold": "700Bold/BeVietnamPro_700Bold.ttf", "regular": "400Regular/BeVietnamPro_400Regular.ttf"}
CACHE_DIR = ".cache/sharecards"
WIDTH, HEIGHT, MARGIN = 1200, 630, 72
# Bump when the drawing changes, so cached cards and their URLs are made anew.
LAYOUT = "3"
ACCENT, INK, MUTED, PAPER = "#0b5394", "#1b1f24", "#4d5761", "#ffffff"
# Every pixel is one of the colours above or an anti-aliased blend of text on its background, so a
# palette of those blends replaces an adaptive quantizer (40 ms a card) at 2 ms, looking the same.
BLENDS = ((INK, PAPER), (MUTED, PAPER), (ACCENT, PAPER), (PAPER, ACCENT))
STEPS = 8


@dataclass(frozen=True, slots=True)
class CardText:
    """What a card says; all of it goes into the card's file name."""

    title: str
    place: str
    sectors: str
    site: str

    @property
    def key(self) -> str:
        text = "\0".join((LAYOUT, self.title, self.place, self.sectors, self.site))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def card_text(graph: SiteGraph, m: PovertyModel) -> CardText:
    place = sentence_case(", ".join(loc.name for loc in reversed(graph.chain[m.locality])))
    return CardText(m.title, place, " · ".join(graph.label("sectors", s) for s in m.sectors), graph.config.title)


def needs_card(m: PovertyModel) -> bool:
    """A model with a photo shares its photo; the others get a card."""
    return not m.images


def card_path(graph: SiteGraph, m: PovertyModel, text: CardText | None = None) -> str:
    """Where the card is published, relative to the site root."""
    folder = graph.url("model", m.id)[len(graph.config.base_path):]
    return f"{folder}the-chia-se-{(text or card_text(graph, m)).key}.png"


def sharecard_outputs(graph: SiteGraph, root: Path, diag: Diagnostics, workers: int = 1,
                      kept: Callable[[str], KeptFile | None] = lambda path: None) -> list[OutputFile | KeptFile]:
    """The cards of every model without a photo: as published when `kept` finds them so (a card's name
    is a hash of what it shows), else from the cache when drawn before, else drawn now (in `workers`
    processes: about 20 ms a card)."""
    models = [m for m in graph.models if needs_card(m)]
    if not models:
        return []
    missing = [name for name in FONTS.values() if not (FONT_DIR / name).is_file()]
    if missing:
        diag.error(Location(f"node_modules/@expo-google-fonts/be-vietnam-pro/{missing[0]}"), "npm_file_missing",
                   file=f"@expo-google-fonts/be-vietnam-pro/{missing[0]}")
        return []
    cache = root / CACHE_DIR
    texts = {m.id: card_text(graph, m) for m in models}
    paths = {m.id: card_path(graph, m, texts[m.id]) for m in models}
    published = {m.id: found for m in models if (found := kept(paths[m.id])) is not None}
    todo = sorted({texts[m.id] for m in models if m.id not in published
                   and not (cache / f"{texts[m.id].key}.png").is_file()}, key=lambda t: t.key)
    for text, data in zip(todo, fork_map(lambda text, _: draw_card(text), todo, workers)):
        _write_cache(cache / f"{text.key}.png", data)
    _prune(cache, {f"{t.key}.png" for t in texts.values()})
    return [published.get(m.id) or OutputFile(paths[m.id], (cache / f"{texts[m.id].key}.png").read_bytes())
            for m in models]


def draw_card(text: CardText) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 20), fill=ACCENT)
    draw.rectangle((0, HEIGHT - 96, WIDTH, HEIGHT), fill=ACCENT)
    bold, regular = (str(FONT_DIR / FONTS[k]) for k in ("bold", "regular"))
    width = WIDTH - 2 * MARGIN
    # The title as large as fits in three lines; a very long one is cut with an ellipsis.
    for size in (64, 58, 52, 46, 42):
        font = ImageFont.truetype(bold, size)
        lines = _wrap(draw, text.title, font, width)
        if len(lines) <= 3:
            break
    lines = _fit(draw, lines, font, width, 3)
    y = 72
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=INK)
        y += int(size * 1.25)
    small = ImageFont.truetype(regular, 34)
    for line, colour in ((text.place, MUTED), (text.sectors, ACCENT)):
        y += 18
        for part in _fit(draw, _wrap(draw, line, small, width), small, width, 1):
            draw.text((MARGIN, y), part, font=small, fill=colour)
            y += 44
    site = ImageFont.truetype(bold, 34)
    draw.text((MARGIN, HEIGHT - 48), _fit(draw, [text.site], site, width, 1)[0], font=site, fill=PAPER, anchor="lm")
    out = io.BytesIO()
    # zlib level 6 rather than 9 (optimize): 5 ms instead of 40 for about 10 % more bytes, on an image
    # only link previews fetch.
    image.quantize(palette=_palette(), dither=Image.Dither.NONE).save(out, "PNG", compress_level=6)
    return out.getvalue()


@functools.cache
def _palette() -> Image.Image:
    colours: list[tuple[int, ...]] = []
    for ink, paper in BLENDS:
        a, b = ImageColor.getrgb(ink), ImageColor.getrgb(paper)
        for step in range(STEPS):
            blend = tuple(round(x + (y - x) * step / (STEPS - 1)) for x, y in zip(a, b))
            if blend not in colours:
                colours.append(blend)
    palette = Image.new("P", (1, 1))
    palette.putpalette([channel for colour in colours for channel in colour])
    return palette


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break at spaces so each line fits `width` (a single over-long word gets a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _fit(draw: ImageDraw.ImageDraw, lines: list[str], font: ImageFont.FreeTypeFont, width: int,
         most: int) -> list[str]:
    """At most `most` lines; the last one shortened with '…' when text had to be left out."""
    if len(lines) <= most and all(draw.textlength(line, font=font) <= width for line in lines):
        return lines
    kept, last = lines[:most - 1], " ".join(lines[most - 1:])
    while last and draw.textlength(last + "…", font=font) > width:
        last = last[:-1].rstrip()
    return [*kept, last + "…"]


def _write_cache(path: Path, data: bytes) -> None:
    """Write then rename, so a cached card is complete or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _prune(cache: Path, keep: Iterable[str]) -> None:
    wanted = set(keep)
    for entry in cache.glob("*.png"):
        if entry.name not in wanted:
            entry.unlink()
