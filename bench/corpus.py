"""Generate a synthetic site of N models and N/10 localities for benchmarks (never published).

Every file is test data and says so in its title; no figure, name or number in it is a fact. Bodies are
composed sentence by sentence from word pools with a seeded random generator, so pages differ as real
ones do (a repeated sample text would make search chunks and compression look better than they are):
3–4 KB of Vietnamese with headings, a numbered list and a table; front matter fills every field group
(figures, visiting information, sources, related models). The same arguments give the same bytes.

`python bench/corpus.py DEST [MODELS]` writes a corpus; `model_path` and `edit_model` serve the benches.
"""
from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECTORS = ("trong-trot", "chan-nuoi", "tiet-kiem-tin-dung", "nha-o", "viec-lam", "thuong-mai-dich-vu",
           "ha-tang", "an-sinh-xa-hoi", "giao-duc", "y-te-dinh-duong", "phat-trien-cong-dong")
GROUPS = ("ho-ngheo", "ho-can-ngheo", "ho-moi-thoat-ngheo", "dan-toc-thieu-so", "phu-nu", "nong-dan",
          "nguoi-lao-dong")
HOSTS = ("chinh-quyen", "mat-tran", "hoi-nong-dan", "hoi-phu-nu", "doan-thanh-nien", "hop-tac-xa", "cong-dong")
REGIONS = ("trung-du-mien-nui-phia-bac", "dong-bang-song-hong", "bac-trung-bo-duyen-hai-mien-trung",
           "tay-nguyen", "dong-nam-bo", "dong-bang-song-cuu-long")
SYLLABLES = ("An", "Bình", "Phú", "Tân", "Hòa", "Thạnh", "Lộc", "Phước", "Hưng", "Long", "Thuận", "Đông",
             "Tây", "Nam", "Bắc", "Sơn", "Thủy", "Minh", "Quang", "Trung", "Yên", "Hà", "Lâm", "Đức",
             "Vĩnh", "Xuân", "Thịnh", "Mỹ", "Kim", "Hồng")
ACTIVITIES = ("Nuôi bò sinh sản", "Trồng rau má", "Trồng cam sành", "Nuôi gà thả vườn", "Tổ tiết kiệm xoay vòng",
              "Dệt thổ cẩm", "Trồng nấm rơm", "Nuôi cá lồng", "Làm nhà đại đoàn kết", "Dạy nghề may",
              "Trồng chè an toàn", "Nuôi ong lấy mật", "Bếp ăn bán trú", "Trồng quế", "Sinh kế từ du lịch cộng đồng")
SUBJECTS = ("Hội Nông dân xã", "Các hộ tham gia", "Tổ hợp tác", "Ban quản lý mô hình", "Chi hội phụ nữ thôn",
            "Cán bộ khuyến nông", "Hợp tác xã", "Đoàn thanh niên", "Ủy ban nhân dân xã", "Người dân trong thôn")
VERBS = ("đã hỗ trợ", "thường xuyên hướng dẫn", "cùng nhau xây dựng", "từng bước mở rộng", "chủ động liên kết",
         "đề xuất cách làm mới cho", "theo dõi sát", "góp vốn để phát triển", "tổ chức tập huấn về",
         "kiểm tra định kỳ")
OBJECTS = ("con giống và vật tư", "kỹ thuật chăm sóc", "đầu ra cho sản phẩm", "nguồn vốn vay ưu đãi",
           "quy trình sản xuất an toàn", "chuồng trại hợp vệ sinh", "sổ ghi chép thu chi", "việc bao tiêu nông sản",
           "kế hoạch sản xuất theo mùa vụ", "nhóm sở thích của hội viên")
TAILS = ("nên thu nhập của các hộ ổn định hơn", "giúp nhiều hộ có việc làm quanh năm",
         "để bà con yên tâm sản xuất", "trong suốt các năm thực hiện", "với sự đồng thuận của người dân",
         "theo hướng bền vững, lâu dài", "dù còn gặp khó khăn về thời tiết", "và được chính quyền ghi nhận",
         "nhằm giảm rủi ro khi giá cả biến động", "để các hộ khác học tập, làm theo")
HEADINGS = (("Bối cảnh", "Vì sao có mô hình"), ("Cách làm", "Các bước thực hiện"),
            ("Kết quả", "Kết quả đạt được"), ("Bài học kinh nghiệm", "Điều cần lưu ý"))
MONTH_WORDS = ("nửa ngày", "một ngày", "hai ngày")


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def place_name(rng: random.Random) -> str:
    return f"{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"


def model_body(rng: random.Random, note: str = "") -> str:
    """3–4 KB: four sections, a numbered list of steps and a table of yearly results."""
    parts = [f"## {rng.choice(HEADINGS[0])}\n\n{paragraph(rng, 5)}\n\n{paragraph(rng, 4)}\n",
             f"## {rng.choice(HEADINGS[1])}\n\n{paragraph(rng, 2)}\n\n"
             + "".join(f"{n}. {sentence(rng)}\n" for n in range(1, 6)),
             f"## {rng.choice(HEADINGS[2])}\n\n{paragraph(rng, 2)}\n\n"
             "| Năm | Số hộ tham gia | Thu nhập bình quân (triệu đồng/năm) |\n|---|---:|---:|\n"
             + "".join(f"| {year} | {rng.randint(10, 90)} | {rng.randint(20, 80)} |\n" for year in range(2021, 2025)),
             f"## {rng.choice(HEADINGS[3])}\n\n### Điều kiện\n\n{paragraph(rng, 3)}\n\n"
             f"### Khó khăn\n\n{paragraph(rng, 3)}{note}\n"]
    return "\n".join(parts)


def model_text(index: int, count: int, communes: list[str], note: str = "") -> str:
    """Model number `index` (0-based) of a corpus of `count`; `note` changes the body, nothing else."""
    rng = random.Random(f"model-{index}")
    activity = rng.choice(ACTIVITIES)
    sectors = sorted({SECTORS[index % len(SECTORS)], rng.choice(SECTORS)})
    related = sorted({f"mo-hinh-thu-{rng.randrange(count):05d}" for _ in range(3)} - {model_id(index)})
    months = sorted({rng.randint(1, 12) for _ in range(rng.randint(1, 3))})
    year = 2015 + index % 9
    return (
        "---\n"
        f"title: \"{activity} (dữ liệu thử số {index + 1})\"\n"
        f"summary: \"{activity} là mô hình thử số {index + 1}, sinh tự động để đo tốc độ dựng trang; "
        "nội dung không phải thông tin thật.\"\n"
        f"locality: {communes[index % len(communes)]}\n"
        f"sectors: [{', '.join(sectors)}]\n"
        f"target_groups: [{GROUPS[index % len(GROUPS)]}, {GROUPS[(index + 3) % len(GROUPS)]}]\n"
        f"host:\n  name: Đơn vị thử {place_name(rng)}\n  type: {HOSTS[index % len(HOSTS)]}\n"
        f"partners:\n  - name: Tổ hợp tác thử {place_name(rng)}\n    role: Hỗ trợ kỹ thuật\n"
        f"started: {year}\n"
        f"status: {('active', 'pilot', 'ended')[index % 3]}\n"
        f"participants: {{households: {rng.randint(20, 200)}, poor: {rng.randint(5, 20)}, "
        f"near_poor: {rng.randint(3, 15)}}}\n"
        "figures:\n"
        + "".join(f"  - {{label: \"{label}\", value: {rng.randint(5, 500)}, unit: {unit}, "
                  f"year: {2020 + k}, source: 1}}\n"
                  for k, (label, unit) in enumerate((("Số hộ thoát nghèo", "hộ"), ("Vốn đã giải ngân", "triệu đồng"),
                                                      ("Diện tích", "ha"))))
        + "replication:\n"
        f"  suitable_when: [\"{sentence(rng)}\"]\n  prerequisites: [\"{sentence(rng)}\"]\n"
        f"  risks: [\"{sentence(rng)}\"]\n  time_to_first_result: {rng.randint(1, 4)} năm\n"
        "visiting:\n"
        f"  accepts_visits: {str(index % 3 != 2).lower()}\n  best_months: [{', '.join(map(str, months))}]\n"
        f"  season_note: \"{sentence(rng)}\"\n  duration: {rng.choice(MONTH_WORDS)}\n"
        f"  max_group: {rng.randint(10, 40)}\n  notice_days: {rng.randint(3, 14)}\n"
        "  arrange_via: Ủy ban nhân dân xã (dữ liệu thử)\n"
        f"  access: \"{sentence(rng)}\"\n"
        "contact:\n  role: Cán bộ phụ trách (dữ liệu thử)\n  email: lien-he@example.org\n"
        "sources:\n"
        f"  - title: \"Bài viết thử số {index + 1} về {activity.lower()}\"\n    publisher: Báo thử nghiệm\n"
        f"    date: {year + 1}-{1 + index % 12:02d}\n    url: https://example.org/bai-viet/{index + 1}\n"
        + (f"related: [{', '.join(related)}]\n" if related else "")
        + f"published: 2024-{1 + index % 12:02d}-{1 + index % 28:02d}\n"
        "---\n\n" + model_body(rng, note))


def model_id(index: int) -> str:
    return f"mo-hinh-thu-{index:05d}"


def model_path(root: Path, index: int) -> Path:
    return root / "content" / "models" / f"{model_id(index)}.md"


def locality_files(count: int) -> dict[str, str]:
    """`count` localities: one province for every ten (at most 34), the rest communes spread over them."""
    provinces = max(1, min(34, count // 10))
    files = {}
    for index in range(count):
        rng = random.Random(f"locality-{index}")
        lat, lon = round(rng.uniform(9.0, 22.5), 4), round(rng.uniform(103.0, 108.5), 4)
        if index < provinces:
            head = (f"name: tỉnh {place_name(rng)} (thử {index + 1})\nlevel: tinh\n"
                    f"region: {REGIONS[index % len(REGIONS)]}\n"
                    "poverty:\n" + "".join(f"  - {{year: {y}, poor: {rng.randint(2, 30)}.{rng.randint(0, 9)}, "
                                           f"near_poor: {rng.randint(2, 15)}.{rng.randint(0, 9)}, source: 1}}\n"
                                           for y in (2021, 2022, 2023))
                    + "sources:\n  - title: Báo cáo thử nghiệm\n    publisher: Cơ quan thử nghiệm\n")
            files[f"tinh-thu-{index:03d}"] = f"---\n{head}---\n{paragraph(rng, 6)}\n"
        else:
            head = (f"name: xã {place_name(rng)} (thử {index + 1})\nlevel: xa\n"
                    f"parent: tinh-thu-{index % provinces:03d}\ncoordinates: {{lat: {lat}, lon: {lon}}}\n")
            files[f"xa-thu-{index:05d}"] = f"---\n{head}---\n{paragraph(rng, 4)}\n"
    return files


def new_site(dest: Path, gazetteer: bool) -> None:
    """An empty site at `dest` with the sample site's settings and vocabularies (its featured models do
    not exist here); without the gazetteer when the places are invented."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "content" / "models").mkdir(parents=True)
    (dest / "content" / "localities").mkdir(parents=True)
    settings = re.sub(r"^featured:.*\n", "", (REPO / "site.yaml").read_text("utf-8"), flags=re.M)
    if not gazetteer:
        settings = re.sub(r"^gazetteer:.*\n", "", settings, flags=re.M)
    (dest / "site.yaml").write_text(settings, "utf-8")


def make_corpus(dest: Path, models: int, localities: int | None = None) -> Path:
    """Write site.yaml, `localities` localities (default models / 10) and `models` models under `dest`."""
    new_site(dest, gazetteer=False)
    places = locality_files(localities if localities is not None else max(2, models // 10))
    for ident, text in places.items():
        (dest / "content" / "localities" / f"{ident}.md").write_text(text, "utf-8")
    communes = [ident for ident in places if ident.startswith("xa-")] or list(places)
    for index in range(models):
        model_path(dest, index).write_text(model_text(index, models, communes), "utf-8")
    return dest


def corpus_communes(root: Path) -> list[str]:
    names = sorted(p.stem for p in (root / "content" / "localities").glob("*.md"))
    return [n for n in names if n.startswith("xa-")] or names


def edit_model(root: Path, index: int, count: int, note: str) -> None:
    """Change one model's body as an editor would (same front matter, one more sentence)."""
    model_path(root, index).write_text(model_text(index, count, corpus_communes(root), note), "utf-8")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("bench-corpus")
    print(make_corpus(target, int(sys.argv[2]) if len(sys.argv) > 2 else 1000))
