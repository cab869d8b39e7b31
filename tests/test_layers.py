"""The package layout is the pipeline: a layer imports only itself and the layers below it, and no
module imports itself back through others (read from the source with `ast`, lazy imports included)."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
# Stage order, lowest first. Top-level modules sit where their job is in the flow.
LAYERS = {"core": 0, "content": 1, "files": 2, "pages": 3, "publish": 4, "build": 5,
          "preview": 6, "editor": 6, "cli": 7, "__main__": 8, "__init__": 0}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS[parts[1]] if len(parts) > 1 else 0


def imports_of(path: Path) -> set[str]:
    """Every `generator.*` module a file imports, at any depth of its code."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("generator"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            found.add(node.module)
            # `from generator.pages import seo` imports a module, not a name
            found.update(f"{node.module}.{a.name}" for a in node.names
                         if (PACKAGE.parent / node.module.replace(".", "/") / f"{a.name}.py").is_file())
    return found


def import_graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_has_a_layer() -> None:
    unknown = {m for m in import_graph() if m != "generator" and m.split(".")[1] not in LAYERS}
    assert not unknown, f"add these to LAYERS in tests/test_layers.py: {sorted(unknown)}"


def test_no_layer_imports_a_higher_one() -> None:
    upward = [f"{m} -> {target}" for m, targets in import_graph().items() for target in sorted(targets)
              if target != "generator" and layer(target) > layer(m)]
    assert not upward, "imports that climb the stage order:\n" + "\n".join(upward)


def test_no_import_cycles() -> None:
    graph = import_graph()
    state: dict[str, int] = {}   # 1 = on the current path, 2 = done
    cycles: list[str] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if target not in graph or target == module:
                continue
            if state.get(target) == 1:
                cycles.append(" -> ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)
