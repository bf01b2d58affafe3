"""The package's architecture: no import cycle, no module over 500 lines, rooms layered.

The import graph comes from :func:`netsim.architecture.import_graph`, which parses every
module with :mod:`ast`; every ``import`` and ``from ... import`` counts, including those
inside functions and under ``if TYPE_CHECKING:``. Rooms are the sub-packages; a room may
import only rooms below it in :data:`~netsim.architecture.LAYERS`, and never the front door
(``netsim``, ``api``, ``cli``, ``docgen``, ``architecture``) or a compatibility alias.
"""

from __future__ import annotations

import ast
import functools

import networkx as nx
import pytest

from netsim.architecture import (
    ALIASES,
    FRONT_DOOR,
    LAYERS,
    MAX_LINES,
    PACKAGE,
    import_graph,
    module_lines,
    modules,
    room_of,
)


@functools.cache
def _graph() -> nx.DiGraph:
    """The import graph, parsed once for all tests of this file."""
    return import_graph()


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


def test_every_module_is_in_a_room_or_the_front_door_or_an_alias():
    loose = [
        m
        for m in modules()
        if room_of(m) is None and m not in FRONT_DOOR and m not in ALIASES
        and m != "netsim._version"
    ]
    assert not loose, f"modules outside the rooms: {loose}"
    assert set(LAYERS) == {room_of(m) for m in modules()} - {None}


@pytest.mark.parametrize("module", sorted(modules()))
def test_module_is_short(module):
    lines = module_lines(modules()[module])
    assert lines <= MAX_LINES, f"{module} has {lines} lines (at most {MAX_LINES})"


def test_no_room_imports_the_front_door_or_an_alias():
    g = _graph()
    wrong = [(a, b) for a, b in g.edges if room_of(a) and (b in FRONT_DOOR or b in ALIASES)]
    assert not wrong, wrong


def test_aliases_only_re_export_theirroom_of():
    g = _graph()
    for alias, target in ALIASES.items():
        assert set(g.successors(alias)) <= {m for m in g if m.startswith(target)}, alias


def test_the_architecture_page_is_generated_from_this_graph():
    from netsim.architecture import architecture_markdown

    text = architecture_markdown()
    for room in LAYERS:
        assert f'{room}["{room}/"]' in text
    assert "market -->" in text and "platform -->" in text


def test_rooms_import_only_rooms_below():
    g = _graph()
    for room in {room_of(m) for m in g} - {None}:
        assert room in LAYERS, f"room {room!r} is not in LAYERS; place it in the order"
    wrong = []
    for a, b in g.edges:
        ra, rb = room_of(a), room_of(b)
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


@pytest.mark.parametrize("room", ["platform", "mechanisms"])
def test_mechanisms_use_the_market_only_through_its_services(room):
    """The platform and the world's mechanisms import the market's facade, state codes and
    ledger, nothing else of it, and touch no private attribute of the objects they are given."""
    g = _graph()
    allowed = {"netsim.market.services", "netsim.market.state", "netsim.market.ledger"}
    used = {b for a, b in g.edges if room_of(a) == room and room_of(b) == "market"}
    assert used <= allowed, sorted(used - allowed)
    for path in sorted((PACKAGE / room).glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
            ):
                pytest.fail(f"{path.name}:{node.lineno} reaches into .{node.attr}")
