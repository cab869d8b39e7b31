"""The related-models ranking (bitset implementation) equals the plain pairwise definition."""
from __future__ import annotations

from generator.build import build
from generator.content.config import load_config
from generator.content.graph import RELATED_LIMIT, name_key

SECTORS = ("trong-trot", "chan-nuoi")


def _model(index: int) -> str:
    sectors = [SECTORS[index % 2]] + ([SECTORS[1 - index % 2]] if index % 3 == 0 else [])
    related = "related: [m-00]\n" if index % 5 == 4 else ""
    return (f"---\ntitle: Mô hình {'Đ' if index % 4 == 0 else 'D'}{40 - index}\nsummary: Tóm tắt.\n"
            f"locality: {'loc-yen' if index % 2 else 'lang-son'}\nsectors: [{', '.join(sectors)}]\n{related}---\n")


def test_related_ranking_matches_the_pairwise_definition(make_site) -> None:
    files = {f"content/models/m-{i:02d}.md": _model(i) for i in range(24)}
    graph = build(load_config(make_site(files, defaults=True)), None).graph
    assert graph is not None
    for m in graph.models:
        chosen = [graph.model[r] for r in (m.related or ()) if r in graph.model and r != m.id]
        province = graph.province(m.locality)

        def score(o):
            return 2 * len(set(o.sectors) & set(m.sectors)) + (graph.province(o.locality) == province)

        others = [o for o in graph.models if o.id != m.id and o not in chosen and score(o) > 0]
        others.sort(key=lambda o: (-score(o), name_key(o)))
        expected = chosen + others[:max(0, RELATED_LIMIT - len(chosen))]
        assert [o.id for o in graph.related[m.id]] == [o.id for o in expected], m.id
