"""QR codes: `qr_svg` must give the very bytes segno gives on its own, for any URL a site makes.

Built SVGs are cached in `.cache/` and the golden site holds one, so the fast path may not change a
byte: it is checked against segno's own mask search over 300 varied URLs, and its penalty scoring
against segno's `mask_scores` rule by rule on symbols rich in the patterns the rules look for.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
from segno import consts, encoder

from generator.files.qr import _layout, penalty_scores, qr_svg, segno_code, segno_svg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from qr_bench import sample_urls  # noqa: E402

# Runs meant to hit every rule: finder-like runs alone, overlapping at shifts 4 and 6 and in a
# chain of three, with and without four light modules beside them; long runs of one colour.
PIECES = ("1011101", "10111011101", "1011101011101", "101110111011101", "0000", "00001011101",
          "10111010000", "11111", "000000", "1", "0", "10", "01")


def test_qr_svg_is_segnos_svg_byte_for_byte_for_varied_urls():
    versions, masks, modes = set(), set(), set()
    for url, label in sample_urls(300):
        code = segno_code(url)
        assert qr_svg(url, label) == segno_svg(code, label), url
        versions.add(code.version)
        masks.add(code.mask)
        modes.add(code.mode)
    # The sample really covers what the mask choice depends on.
    assert versions >= set(range(1, 10)) and masks == set(range(8)) and modes == {"byte", "alphanumeric"}


def patterned_symbol(rng: random.Random, size: int) -> np.ndarray:
    rows = []
    for _ in range(size):
        row = ""
        while len(row) < size:
            row += rng.choice(PIECES)
        rows.append([int(module) for module in row[:size]])
    symbol = np.array(rows, dtype=bool)
    return symbol.T if rng.random() < 0.5 else symbol


def test_penalty_scores_equal_segnos_rule_by_rule():
    rng = random.Random(18004)
    for size in (21, 25, 29, 33, 37, 41, 45, 49, 53, 57):
        symbols = np.stack([patterned_symbol(rng, size) for _ in range(12)]
                           + [np.array([[rng.random() < 0.5 for _ in range(size)] for _ in range(size)])])
        expected = [encoder.mask_scores(tuple(bytearray(row.tobytes()) for row in symbol), size, size)
                    for symbol in symbols]
        assert penalty_scores(symbols) == expected


def test_codewords_and_remainder_bits_fill_every_versions_region():
    """`qr_matrix` leaves the modules after the codewords at 0: segno's remainder bits, as long as
    segno's final message (codewords + remainder) has exactly one bit per region module."""
    for version in range(1, 41):
        capacity = consts.SYMBOL_CAPACITY[version][consts.ERROR_LEVEL_M]
        message = encoder.make_final_message(version, consts.ERROR_LEVEL_M, encoder.Buffer(bytes(capacity)))
        data_and_error = len(message) - len(message) % 8
        assert len(message) == len(_layout(version).order), version
        assert not any(message.getbits()[data_and_error:]), version
