"""A corpus on Việt Nam's real gazetteer: every unit as a content file, models on real communes.

Localities are the gazetteer's units, old and new (14,115 with vietnamadminunits 1.0.4), each as a
file named by the id rule holding its code (and its name, which picks a former unit among those
sharing a code), so every unit has a page. Models (synthetic, bench/corpus.py) sit on real communes,
chosen to include the hard cases: names many communes share (xã Tân Thành), communes split between
several new ones, numbered wards (phường 1), former and current units. Their `locality:` cycles
through the four forms an editor may write: an id, a GSO code, a full address, the bare id of a
former unit. `--province` keeps only the units of one province (old or new), for a quick build.

    python bench/gazetteer_corpus.py DEST [MODELS] [--province lang-son] [--measure [--check-only]]

With --measure it times `showcase check --strict` and `showcase build --strict` (in new processes,
with peak memory of the process tree, as bench/build_bench.py does) and prints the figures.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import REPO, model_path, model_text, new_site  # noqa: E402

from generator.content.gazetteer import Gazetteer, Unit, load_gazetteer  # noqa: E402
from generator.content.places import resolve_locality  # noqa: E402

SHARES = {"same_name": 0.3, "split": 0.2, "numbered": 0.15}   # the rest: communes spread evenly


def unit_file(unit: Unit) -> str:
    # YAML needs the code quoted (06211 would be read as a number); the name picks a former unit
    # when a current one kept its code.
    return f'---\ncode: "{unit.code}"\nname: {unit.name}\n---\n'


def in_province(gaz: Gazetteer, unit: Unit, province: str) -> bool:
    top = gaz.chain(unit.id)[0]
    return top.id == province or province in top.successors


def pick_communes(gaz: Gazetteer, units: list[Unit], count: int) -> list[Unit]:
    """`count` communes, hard cases first, in a fixed order (the same arguments give the same corpus)."""
    communes = sorted((u for u in units if len(u.code) == 5), key=lambda u: (u.code, u.id))
    named = {}
    for u in communes:
        named.setdefault((u.level, u.short), []).append(u)
    groups = {
        "same_name": [u for u in communes if len(named[u.level, u.short]) > 1],
        "split": [u for u in communes if len(u.successors) > 1],
        "numbered": [u for u in communes if any(ch.isdigit() for ch in u.short)],
    }
    chosen: dict[str, Unit] = {}
    for group, share in SHARES.items():
        pool = groups[group]
        step = max(1, len(pool) // max(1, int(count * share)))
        for u in pool[::step][:int(count * share)]:
            chosen.setdefault(u.id, u)
    rest = [u for u in communes if u.id not in chosen]
    step = max(1, len(rest) // max(1, count - len(chosen)))
    for u in rest[::step]:
        if len(chosen) >= count:
            break
        chosen[u.id] = u
    return list(chosen.values())[:count]


def locality_value(gaz: Gazetteer, unit: Unit, index: int) -> str:
    """The unit written as an id, a GSO code or an address, whichever form `index` picks and names it alone."""
    forms = [unit.id, f'"{unit.code}"', f'"{gaz.address(unit.id)}"']
    form = forms[index % len(forms)]
    if resolve_locality(gaz, form.strip('"')) == [unit.id]:
        return form
    return unit.id


def make_gazetteer_corpus(dest: Path, models: int, province: str | None = None) -> Path:
    gaz = load_gazetteer()
    new_site(dest, gazetteer=True)
    units = [u for u in gaz.units.values() if province is None or in_province(gaz, u, province)]
    folder = dest / "content" / "localities"
    for unit in units:
        (folder / f"{unit.id}.md").write_text(unit_file(unit), "utf-8")
    communes = pick_communes(gaz, units, models)
    values = [locality_value(gaz, unit, index) for index, unit in enumerate(communes)]
    for index in range(models):
        model_path(dest, index).write_text(model_text(index, models, values), "utf-8")
    return dest


def measure(root: Path, build: bool = True) -> None:
    from build_bench import run   # noqa: PLC0415 (only for --measure)
    showcase = [sys.executable, "-m", "generator", "--root", str(root)]
    steps = (("check", ["check", "--strict"]), ("build", ["build", "--strict", "--quiet"]))
    for name, args in steps if build else steps[:1]:
        seconds, peak, _ = run(showcase + args, cwd=REPO)
        print(f"{name}: {seconds:.1f} s, peak {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, nargs="?")
    parser.add_argument("models", type=int, nargs="?", default=300)
    parser.add_argument("--province")
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--check-only", action="store_true", help="with --measure: time `check` alone")
    args = parser.parse_args()
    target = args.dest or Path(tempfile.mkdtemp(prefix="gazetteer-corpus-"))
    root = make_gazetteer_corpus(target, args.models, args.province)
    print(f"{root}: {len(list((root / 'content/localities').glob('*.md')))} localities, {args.models} models")
    if args.measure:
        measure(root, build=not args.check_only)
