"""The package's architecture: no import cycle, no module over 500 lines, rooms layered.

Every module under ``src/netsim`` is parsed with :mod:`ast`; every ``import`` and
``from ... import`` counts, including those inside functions and under
``if TYPE_CHECKING:``. ``from netsim.x import y`` is an import of module ``netsim.x.y`` when
that is a module, else of ``netsim.x``. Importing a module also runs its parent packages'
``__init__``, but those edges are implied, not written, so they are not counted here.

Rooms are the sub-packages; a room may import only rooms below it in :data:`LAYERS`.
Modules not yet in a room (the flat ``netsim.*`` modules, moved into rooms step by step)
are nodes of the cycle check but have no layer and no length limit yet. Rooms that do not
exist yet are allowed in :data:`LAYERS`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "netsim"

#: The rooms, lowest first: a room may import only rooms listed before it (and itself).
LAYERS = (
    "engine",
    "scenario",
    "world",
    "output",
    "market",
    "platform",
    "model",
    "experiments",
    "viz",
)

MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve_relative(module: str, is_package: bool, level: int, target: str | None) -> str:
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join(base + ([target] if target else []))


def _imports(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The netsim modules that ``module`` imports anywhere in its source."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.name
                while name and name not in modules:
                    name = name.rpartition(".")[0]
                if name.startswith("netsim"):
                    found.add(name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _resolve_relative(
                    module, path.name == "__init__.py", node.level, node.module
                )
            else:
                base = node.module or ""
            if not base.startswith("netsim"):
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in modules:
                    found.add(sub)
                elif base in modules:
                    found.add(base)
    found.discard(module)
    return found


def _graph() -> nx.DiGraph:
    modules = _modules()
    g = nx.DiGraph()
    g.add_nodes_from(modules)
    for name, path in modules.items():
        for target in _imports(name, path, modules):
            g.add_edge(name, target)
    return g


def _room(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None
    room = parts[1]
    return room if (PACKAGE / room).is_dir() else None


def test_the_import_graph_sees_the_rooms():
    g = _graph()
    # A sanity check that the parser resolves imports: the model imports the market.
    assert g.has_edge("netsim.model.simulation", "netsim.market.labour_market")
    assert g.has_edge("netsim.platform.money", "netsim.platform.payouts")
    # ... and TYPE_CHECKING imports count.
    assert g.has_edge("netsim.market.services", "netsim.world.build")


def test_no_import_cycle():
    g = _graph()
    try:
        cycle = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        return
    pytest.fail("import cycle: " + " -> ".join([a for a, _ in cycle] + [cycle[-1][1]]))


def _room_modules() -> list[str]:
    return sorted(m for m in _modules() if _room(m) is not None)


def test_rooms_exist():
    assert {"engine", "world", "market", "platform"} <= {_room(m) for m in _room_modules()}


@pytest.mark.parametrize("module", _room_modules())
def test_module_is_short(module):
    lines = _modules()[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines (at most {MAX_LINES})"


def test_rooms_import_only_rooms_below():
    g = _graph()
    for room in {_room(m) for m in g} - {None}:
        assert room in LAYERS, f"room {room!r} is not in LAYERS; place it in the order"
    wrong = []
    for a, b in g.edges:
        ra, rb = _room(a), _room(b)
        if ra is None or rb is None or ra == rb:
            continue
        if LAYERS.index(rb) > LAYERS.index(ra):
            wrong.append(f"{a} ({ra}) imports {b} ({rb})")
    assert not wrong, "rooms import rooms above them:\n" + "\n".join(wrong)


def test_every_room_says_what_it_holds_and_may_import():
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        # A room's docstring says what it holds and what it may import (or who imports it).
        assert doc.strip() and "import" in doc, f"{init}: say what the room holds and imports"


def test_the_platform_uses_the_market_only_through_its_services():
    """The platform imports the market's facade and state codes, nothing else of it, and
    touches no private attribute of the objects it is given."""
    g = _graph()
    allowed = {"netsim.market.services", "netsim.market.state"}
    used = {b for a, b in g.edges if _room(a) == "platform" and _room(b) == "market"}
    assert used <= allowed, sorted(used - allowed)
    for path in sorted((PACKAGE / "platform").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
            ):
                pytest.fail(f"{path.name}:{node.lineno} reaches into .{node.attr}")
