"""The arrows of DESIGN.md, checked on the source: no import cycle, no forbidden edge.

Every ``import`` statement counts, at module level or inside a function (lazy imports), and so
do imports made only for the type checker (``if TYPE_CHECKING:``): a cycle of type-only imports
is still two modules that cannot be understood, or moved, one without the other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "newslint"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest known module that ``name`` (a module or a name in one) refers to."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                inside.update(id(n) for n in ast.walk(child))
    return inside


def _imports(module: str, path: Path, modules: dict[str, Path], *, type_checking: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    skip = set() if type_checking else _type_checking_nodes(tree)
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                if not is_package:
                    anchor = anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        for t in targets:
            if t.startswith("newslint"):
                resolved = _resolve(t, modules)
                if resolved and resolved != module:
                    out.add(resolved)
    return out


def import_graph(*, type_checking: bool = True) -> dict[str, set[str]]:
    modules = _modules()
    return {m: _imports(m, p, modules, type_checking=type_checking) for m, p in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _in(module: str, *areas: str) -> bool:
    return any(module == f"newslint.{a}" or module.startswith(f"newslint.{a}.") for a in areas)


STAGES = ("ingest", "nlp", "detectors", "knowledge", "engine", "report", "cli", "server", "batch")

# (importer areas, imported areas, why)
FORBIDDEN = [
    (("model", "codes", "_version", "errors"), STAGES, "the data model imports no stage"),
    (("ingest",), ("nlp", "detectors", "engine", "cli", "server", "batch"), "ingest knows no NLP"),
    (("nlp",), ("detectors", "engine", "cli", "server", "batch"), "nlp feeds detectors"),
    (("knowledge",), ("detectors", "engine", "cli", "server", "batch"), "knowledge is data"),
    (("report",), ("detectors", "engine", "cli", "server", "batch"), "renderers take Reports"),
    (("detectors",), ("cli", "server", "report", "batch"), "detectors emit Findings only"),
    (("engine",), ("cli", "server", "batch"), "faces call the engine, not the reverse"),
]


def test_the_graph_sees_lazy_and_type_checking_imports() -> None:
    graph = import_graph()
    # engine.analyzer imports nlp.dates inside a function; detectors.base imports
    # engine.resources under TYPE_CHECKING: both must be edges.
    assert "newslint.nlp.dates" in graph["newslint.engine.analyzer"]
    assert "newslint.engine.resources" in graph["newslint.detectors.base"]


def test_no_import_cycle() -> None:
    assert _cycles(import_graph()) == []


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize(("importers", "imported", "why"), FORBIDDEN)
def test_forbidden_edges(importers: tuple[str, ...], imported: tuple[str, ...], why: str) -> None:
    bad = sorted(
        f"{m} -> {t}"
        for m, targets in import_graph().items()
        if _in(m, *importers)
        for t in targets
        if _in(t, *imported)
    )
    assert bad == [], why


def test_typer_only_in_cli() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(n == "typer" or n.startswith("typer.") for n in names) and not _in(
                module, "cli"
            ):
                offenders.append(module)
    assert offenders == []


def test_model_import_does_not_load_the_pipeline() -> None:
    import subprocess
    import sys

    code = (
        "import sys, newslint.model; "
        "bad = [m for m in sys.modules if m.startswith(('newslint.engine', 'newslint.nlp', "
        "'newslint.detectors', 'spacy', 'onnxruntime'))]; print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
