"""Generate a synthetic site of N models for benchmarks: the sample site's config, theme and
localities, plus numbered models that are plainly labelled as test data (no invented facts)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECTORS = ("trong-trot", "chan-nuoi", "tiet-kiem-tin-dung", "nha-o", "viec-lam", "giao-duc")
GROUPS = ("ho-ngheo", "ho-can-ngheo", "phu-nu", "nong-dan")
PARAGRAPH = ("Đây là nội dung thử nghiệm dùng để đo tốc độ dựng trang, không phải thông tin thật. "
             "Đoạn văn được lặp lại để trang có độ dài gần với một bài giới thiệu mô hình. ")


def model_text(index: int, localities: list[str], note: str = "") -> str:
    """One synthetic model; `note` lets a benchmark change the body without touching the front matter."""
    sectors = sorted({SECTORS[index % len(SECTORS)], SECTORS[(index * 7) % len(SECTORS)]})
    return (
        "---\n"
        f"title: Mô hình thử nghiệm số {index}\n"
        f"summary: Mô hình thử nghiệm số {index}, dữ liệu giả để đo tốc độ dựng trang.\n"
        f"locality: {localities[index % len(localities)]}\n"
        f"sectors: [{', '.join(sectors)}]\n"
        f"target_groups: [{GROUPS[index % len(GROUPS)]}]\n"
        f"published: 20{10 + index % 15:02d}-{1 + index % 12:02d}-{1 + index % 28:02d}\n"
        "---\n\n"
        "## Bối cảnh\n\n" + PARAGRAPH * 4 + "\n\n"
        "## Cách làm\n\n" + PARAGRAPH * 6 + "\n\n"
        "## Kết quả\n\n" + PARAGRAPH * 3 + note + "\n")


def make_corpus(dest: Path, models: int) -> Path:
    """Write site.yaml, the sample localities and `models` synthetic models under `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    # The sample site's settings and vocabularies; its featured models do not exist here.
    settings = (REPO / "site.yaml").read_text("utf-8")
    (dest / "site.yaml").write_text(re.sub(r"^featured:.*\n", "", settings, flags=re.M), "utf-8")
    shutil.copytree(REPO / "content" / "localities", dest / "content" / "localities", dirs_exist_ok=True)
    localities = sorted(p.stem for p in (dest / "content" / "localities").glob("*.md"))
    folder = dest / "content" / "models"
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(models):
        (folder / f"mo-hinh-thu-{index:04d}.md").write_text(model_text(index, localities), "utf-8")
    return dest


def model_path(root: Path, index: int) -> Path:
    return root / "content" / "models" / f"mo-hinh-thu-{index:04d}.md"


def corpus_localities(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "content" / "localities").glob("*.md"))
