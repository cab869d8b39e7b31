"""Generate a synthetic site of N models for benchmarks, from the sample site's own files.

Each generated model copies a sample model's text and locality under a numbered id and title
("… (bản thử 17)"), with sectors, target groups and visiting months rotated so filters have spread.
The corpus lives in a temporary folder and is never published: it measures size, not facts.
"""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECTORS = ["trong-trot", "chan-nuoi", "tiet-kiem-tin-dung", "nha-o", "viec-lam", "thuong-mai-dich-vu",
           "ha-tang", "an-sinh-xa-hoi", "giao-duc", "y-te-dinh-duong", "phat-trien-cong-dong"]
GROUPS = ["ho-ngheo", "ho-can-ngheo", "ho-moi-thoat-ngheo", "dan-toc-thieu-so", "phu-nu", "nong-dan"]


def make_corpus(dest: Path, count: int) -> Path:
    """Write site.yaml, the sample localities and `count` models derived from the sample models."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "content" / "models").mkdir(parents=True)
    shutil.copy2(REPO / "site.yaml", dest / "site.yaml")
    shutil.copytree(REPO / "content" / "localities", dest / "content" / "localities")
    samples = sorted((REPO / "content" / "models").glob("*.md"))
    for n in range(count):
        source = samples[n % len(samples)]
        text = source.read_text("utf-8")
        front, body = text.split("\n---\n", 1)
        front = re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1).strip(chr(34))} (bản thử {n + 1})",
                       front, count=1, flags=re.M)
        front = re.sub(r"^(related|sectors|target_groups|visiting):.*(\n[ ]+.*)*$", "", front, flags=re.M)
        front += (f"\nsectors: [{SECTORS[n % len(SECTORS)]}, {SECTORS[(n * 7 + 3) % len(SECTORS)]}]"
                  f"\ntarget_groups: [{GROUPS[n % len(GROUPS)]}]"
                  f"\nvisiting: {{accepts_visits: {str(n % 3 == 0).lower()}, best_months: [{n % 12 + 1}]}}")
        (dest / "content" / "models" / f"{source.stem}-{n + 1:04d}.md").write_text(
            f"{front}\n---\n{body}", "utf-8")
    return dest


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("bench-corpus")
    print(make_corpus(target, int(sys.argv[2]) if len(sys.argv) > 2 else 1000))
