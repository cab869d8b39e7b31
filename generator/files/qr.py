"""QR codes as SVG, made at build time so a printed sheet leads back to its page on a phone.

`segno_svg(segno_code(url), label)` is the definition: segno's own code and SVG. segno tries the
eight data masks one after another in pure Python (~8 of its ~9 ms a code; at 10,000 models the
biggest cost of a cold render). `qr_svg` returns the very same bytes about 7× faster: segno's
functions still encode the data and lay out the symbol, but the eight masked symbols are made and
scored at once with numpy, following segno's `encoder.mask_scores` rule for rule (quirks included),
and the SVG path is written from the matrix as segno's writer does. tests/test_qr.py holds the two
equal; bench/qr_bench.py measures them.

numpy is imported inside the functions that use it: importing it costs 50-100 ms, and a build whose
codes all come from `.cache/` (a no-change rebuild) never needs it.
"""
from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from itertools import chain, zip_longest
from typing import Any, TYPE_CHECKING, cast
from xml.sax.saxutils import escape

import segno
from segno import consts, encoder

if TYPE_CHECKING:
    import numpy as np

ERROR = "m"  # medium error correction survives a creased or photocopied sheet
QUIET_ZONE = 4  # the standard four modules, so phone cameras find the code on a busy page
# Table 11 of ISO/IEC 18004: dark-light-dark-dark-dark-light-dark, the finder-like run N3 penalises.
FINDER_LIKE = (1, 0, 1, 1, 1, 0, 1)


# Same inputs, same SVG, and `showcase serve` rebuilds after every save: remember them.
@functools.lru_cache(maxsize=8192)
def qr_svg(url: str, label: str) -> str:
    """An inline SVG QR code for `url`, announced to screen readers as `label`."""
    return _svg(qr_matrix(url), label)


def segno_code(url: str) -> segno.QRCode:
    """The code segno makes for `url` on its own: the reference `qr_matrix` is held to (slow)."""
    return segno.make(url, error=ERROR, micro=False)


def segno_svg(code: segno.QRCode, label: str) -> str:
    """segno's SVG of `code`: the reference `qr_svg` is held to, with `segno_code`."""
    out = io.BytesIO()
    code.save(
        out, kind="svg", xmldecl=False, svgns=True, omitsize=True, border=QUIET_ZONE, title=label,
        svgclass="qr", lineclass=None)
    return out.getvalue().decode("utf-8").replace("<svg ", '<svg role="img" ', 1).rstrip("\n")


def qr_matrix(url: str) -> np.ndarray:
    """The symbol (bool, dark = True) segno makes for `url`, with the mask segno would choose."""
    import numpy as np

    version, error, codewords = _final_message(url)
    layout = _layout(version)
    size = len(layout.blank)
    unmasked = layout.blank.ravel().copy()
    bits = np.unpackbits(np.frombuffer(codewords, dtype=np.uint8)).view(np.bool_)
    # The modules after the codewords keep segno's remainder bits, which are 0 (False).
    unmasked[layout.order[:len(bits)]] = bits
    symbols = unmasked.reshape(size, size) ^ layout.masks
    scores = [sum(rules) for rules in penalty_scores(symbols)]
    best = min(range(len(scores)), key=scores.__getitem__)  # the first lowest, as segno's strict <
    symbol = symbols[best]
    # segno writes these with `matrix[i][j] = bit`, which works on a numpy array too.
    encoder.add_format_info(symbol, version, error, best)
    encoder.add_version_info(symbol, version)
    return symbol


def _final_message(url: str) -> tuple[int, int, bytes]:
    """Version, error level and interleaved data + error correction codewords, made by the same
    segno calls in the same order as its `encode`, `_encode` and `make_final_message` for our
    options, stopping before its mask search."""
    segments = encoder.prepare_data(url, None, None)
    error = encoder.normalize_errorlevel(ERROR)
    version = encoder.find_version(segments, error, eci=False, micro=False)
    error = encoder.boost_error_level(version, error, segments, False)
    buff = encoder.Buffer()
    versions = encoder.version_range(version)
    for segment in segments:
        encoder.write_segment(buff, segment, None, versions, False)
    capacity = cast(Any, consts.SYMBOL_CAPACITY)[version][error]
    encoder.write_terminator(buff, capacity, None, len(buff))
    encoder.write_padding_bits(buff, version, len(buff))
    encoder.write_pad_codewords(buff, version, capacity, len(buff))
    blocks = encoder.make_blocks(cast(Any, consts.ECC)[version][error], buff)  # (data blocks, error blocks)
    return version, error, bytes(codeword for kind in blocks for codeword in chain.from_iterable(
        zip_longest(*kind)) if codeword is not None)


@dataclass(frozen=True)
class _Layout:
    blank: np.ndarray  # (size, size) bool: function patterns; codeword, format, version areas 0
    order: np.ndarray  # flat indices of the codeword modules in the order the bits are placed
    masks: np.ndarray  # (8, size, size) bool: the modules each mask pattern flips


class _PlacementLog(bytearray):
    """A matrix row that notes where segno's `add_codewords` puts each bit."""

    def __init__(self, cells: bytes, row: int, log: list[int]):
        super().__init__(cells)
        self.row, self.log = row, log

    def __setitem__(self, column, value):
        self.log.append(self.row * len(self) + column)
        super().__setitem__(column, value)


@functools.lru_cache(maxsize=64)
def _layout(version: int) -> _Layout:
    """Built with segno's own functions, so regions, bit order and masks are exactly its."""
    import numpy as np

    size = encoder.calc_matrix_size(version)
    rows = encoder.make_matrix(size, size)
    encoder.add_finder_patterns(rows, size, size)
    encoder.add_alignment_patterns(rows, size, size)
    cells = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(size, size)
    region = cells > 1  # segno's `is_encoding_region`: modules still unset (0x2)
    log: list[int] = []
    encoder.add_codewords(tuple(_PlacementLog(row, i, log) for i, row in enumerate(rows)),
                          bytes(np.count_nonzero(region)), version)
    i, j = np.indices((size, size))
    # segno's mask functions are plain integer arithmetic, so they apply to whole index arrays.
    masks = np.stack([pattern(i, j) & region for pattern in encoder.get_data_mask_functions(False)])
    layout = _Layout(cells == 1, np.array(log, dtype=np.intp), masks)
    for array in (layout.blank, layout.order, layout.masks):  # shared by later calls: read-only
        array.setflags(write=False)
    return layout


def penalty_scores(symbols: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(N1, N2, N3, N4) of each square bool symbol in `symbols` (k, size, size), equal to segno's
    `encoder.mask_scores` of each."""
    import numpy as np

    size = symbols.shape[-1]
    lines = np.concatenate((symbols, symbols.transpose(0, 2, 1)), axis=1)  # rows, then columns
    # N1: a run of L >= 5 same modules costs L - 2 = (L - 4 windows of five) + 2 for its start.
    same = lines[..., 1:] == lines[..., :-1]
    five = same[..., :-3] & same[..., 1:-2] & same[..., 2:-1] & same[..., 3:]
    starts = (np.count_nonzero(five[..., 0], axis=1)
              + np.count_nonzero(five[..., 1:] & ~same[..., :-4], axis=(1, 2)))
    n1 = np.count_nonzero(five, axis=(1, 2)) + 2 * starts
    # N2: 3 points for every 2×2 block of one colour, overlapping blocks included.
    corner = symbols[:, 1:, 1:]
    n2 = 3 * np.count_nonzero((corner == symbols[:, 1:, :-1]) & (corner == symbols[:, :-1, 1:])
                              & (corner == symbols[:, :-1, :-1]), axis=(1, 2))
    n3 = _finder_like_scores(lines)
    # N4 in Python floats, exactly as segno computes it.
    n4 = [10 * int(abs(float(dark) / (size ** 2) * 100 - 50) / 5)
          for dark in np.count_nonzero(symbols, axis=(1, 2)).tolist()]
    return list(zip(n1.tolist(), n2.tolist(), n3, n4))


def _finder_like_scores(lines: np.ndarray) -> list[int]:
    """N3 as segno counts it: 40 per 1:1:3:1:1 run with four light modules (or the edge) on at
    least one side. segno scans a line left to right and resumes 7 modules after a counted run but
    4 after an uncounted one, so of two overlapping runs it may count only the first."""
    import numpy as np

    width = len(FINDER_LIKE)
    span = lines.shape[-1] - width + 1
    light = ~lines
    found = np.ones(lines.shape[:2] + (span,), dtype=bool)
    for offset, dark in enumerate(FINDER_LIKE):
        found &= (lines if dark else light)[..., offset:offset + span]
    # Light beyond the edge: four light modules padded on each side.
    padded = np.zeros(lines.shape[:2] + (lines.shape[-1] + 8,), dtype=bool)
    padded[..., 4:-4] = lines
    before = padded[..., 0:span] | padded[..., 1:span + 1] | padded[..., 2:span + 2] | padded[..., 3:span + 3]
    after = (padded[..., 11:span + 11] | padded[..., 12:span + 12] | padded[..., 13:span + 13]
             | padded[..., 14:span + 14])
    counts = found & ~(before & after)
    # The scan skips a run only if the run 4 or 6 modules before it (the only overlaps 1011101
    # allows, so at most one) was counted and not itself skipped: solve that chain rule by
    # iterating from "nothing skipped"; each round settles one more link of the longest chain.
    skipped = np.zeros_like(found)
    for _ in range(span):
        counted = counts & ~skipped
        shadow = np.zeros_like(found)
        shadow[..., 4:] = counted[..., :-4]
        shadow[..., 6:] |= counted[..., :-6]
        shadow &= found
        if np.array_equal(shadow, skipped):
            break
        skipped = shadow
    return (40 * np.count_nonzero(counts & ~skipped, axis=(1, 2))).tolist()


def _svg(symbol: np.ndarray, label: str) -> str:
    """The SVG segno writes for `symbol` with `segno_svg`'s options: one path of horizontal
    strokes along each row's runs of dark modules, each move relative to the previous stroke."""
    import numpy as np

    size = len(symbol)
    bordered = np.zeros((size, size + 2), dtype=np.int8)
    bordered[:, 1:-1] = symbol
    edges = np.diff(bordered, axis=1)
    rows, starts = np.nonzero(edges == 1)
    ends = np.nonzero(edges == -1)[1]
    lengths = (ends - starts).tolist()
    moves_x = (starts[1:] - ends[:-1]).tolist()
    moves_y = np.diff(rows).tolist()
    first = f"M{int(starts[0]) + QUIET_ZONE} {int(rows[0]) + QUIET_ZONE + 0.5}h{lengths[0]}"
    path = first + "".join(f"m{x} {y}h{length}" for x, y, length in zip(moves_x, moves_y, lengths[1:]))
    side = size + 2 * QUIET_ZONE
    return (f'<svg role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" class="qr">'
            f'<title>{escape(label)}</title><path stroke="#000" d="{path}"/></svg>')
