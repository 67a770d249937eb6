"""The package layout is the pipeline: layers import one way, no circles, no private names shared.

Read from the source with `ast`, so the rules hold for imports inside functions too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"

# Lower layers never import higher ones; a module may import its own layer and any below it.
LAYERS = [
    ("assistant.records", "assistant.errors", "assistant.settings", "assistant.tuning", "assistant.vi"),
    ("assistant.ingest",),
    ("assistant.indexing",),
    ("assistant.retrieve",),
    ("assistant.answer",),
    ("assistant.pipeline",),
    ("assistant.evaluation", "assistant.integrations"),
    ("assistant.api", "assistant.cli"),
]
MAX_MODULE_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, ast.Module]:
    return {_module_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> int:
    for rank, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS in tests/test_layout.py")


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    is_package = (PACKAGE.parent / Path(*base) / "__init__.py").exists()
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, tree: ast.Module, *, top_level_only: bool = False) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import of the assistant package."""
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    out = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            target = _absolute(module, node)
            if target.startswith("assistant"):
                out.append((target, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            out.extend((a.name, [], node.lineno) for a in node.names if a.name.startswith("assistant"))
    return out


def test_every_module_belongs_to_a_layer():
    for module in _modules():
        if module != "assistant":
            _layer(module)


def test_layers_import_one_way():
    wrong = []
    for module, tree in _modules().items():
        if module == "assistant":
            continue
        for target, names, line in _imports(module, tree):
            # `from assistant.answer import units` names a module: judge the module itself.
            targets = [f"{target}.{n}" if (PACKAGE.parent / Path(*target.split("."), f"{n}.py")).exists() else target
                       for n in names] or [target]
            for t in targets:
                if t != "assistant" and _layer(t) > _layer(module):
                    wrong.append(f"{module}:{line} imports {t}")
    assert wrong == []


def test_no_private_names_cross_modules():
    wrong = []
    modules = _modules()
    for module, tree in modules.items():
        aliases = {}
        for target, names, line in _imports(module, tree):
            wrong.extend(f"{module}:{line} imports {target}.{n}" for n in names if n.startswith("_") and n != "__version__")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and _absolute(module, node).startswith("assistant"):
                aliases.update({a.asname or a.name: a.name for a in node.names})
            elif isinstance(node, ast.Import):
                aliases.update({a.asname or a.name: a.name for a in node.names if a.name.startswith("assistant")})
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                wrong.append(f"{module}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert wrong == []


def test_no_import_circles():
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, tree in modules.items():
        for target, names, _ in _imports(module, tree, top_level_only=True):
            for n in names or [""]:
                t = f"{target}.{n}" if n and f"{target}.{n}" in modules else target
                if t in modules and t != module and not module.startswith(t + "."):
                    graph[module].add(t)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            cycle = visit(m)
            assert cycle is None, " → ".join(cycle)


@pytest.mark.parametrize("stage", ["vi", "ingest", "indexing", "retrieve", "answer", "evaluation", "api", "integrations"])
def test_each_stage_says_what_goes_in_and_out(stage):
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc.split()) >= 12, f"assistant/{stage}/__init__.py needs a docstring saying its inputs and outputs"


def test_modules_stay_small():
    big = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert big == {}


def test_no_test_imports_from_conftest():
    """tests/conftest.py and tests/browser/conftest.py are both imported as `conftest` in a full run, so
    `from conftest import …` picks whichever came first: shared helpers live in corpus_docs.py and fakes.py."""
    tests = Path(__file__).resolve().parent
    offenders = [str(p.relative_to(tests)) for p in tests.rglob("*.py")
                 if re.search(r"^\s*(?:from conftest import|import conftest)", p.read_text(encoding="utf-8"), re.M)]
    assert offenders == []
