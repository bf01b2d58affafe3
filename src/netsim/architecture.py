"""The package's own architecture, read from its source: rooms, imports, the one-way path.

Part of the front door (with :mod:`netsim.api`, :mod:`netsim.cli` and :mod:`netsim.docgen`):
nothing in the rooms imports it. :func:`import_graph` parses every module with :mod:`ast`
and returns the graph of netsim-internal imports, counting every ``import`` and
``from ... import``, including those inside functions and under ``if TYPE_CHECKING:``.
``tests/test_architecture.py`` checks that graph (no cycle, rooms layered, modules short) and
:func:`architecture_markdown` draws it into ``docs/architecture.md`` (written by
``netsim docs``, checked by ``netsim docs --check``), so the page cannot drift from the code.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "ALIASES",
    "FRONT_DOOR",
    "LAYERS",
    "MAX_LINES",
    "architecture_markdown",
    "import_graph",
    "module_lines",
    "modules",
    "room_of",
]

#: The rooms (sub-packages), lowest first: a room may import only rooms before it.
LAYERS = (
    "engine",
    "scenario",
    "world",
    "output",
    "market",
    "kernel",
    "mechanisms",
    "platform",
    "model",
    "experiments",
    "viz",
    "ui",
)

#: Top-level modules through which users come in; no room imports them.
FRONT_DOOR = ("netsim", "netsim.__main__", "netsim.api", "netsim.architecture",
              "netsim.cli", "netsim.cli_model", "netsim.docgen")  # fmt: skip

#: Top-level modules kept so that documented import paths of earlier versions keep working;
#: each only re-exports from its room, and no room imports them.
ALIASES = {
    "netsim.gaming": "netsim.platform.gaming",
    "netsim.graphs": "netsim.world.graphs",
    "netsim.payout_rules": "netsim.platform.payout_rules",
    "netsim.payouts": "netsim.platform.payouts",
    "netsim.plots": "netsim.viz",
    "netsim.report": "netsim.viz.report",
}

#: Longest module allowed (lines).
MAX_LINES = 500

PACKAGE = Path(__file__).resolve().parent


def _module_name(path: Path, package: Path) -> str:
    parts = ["netsim", *path.relative_to(package).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package: dotted name -> source file."""
    return {_module_name(p, package): p for p in sorted(package.rglob("*.py"))}


def module_lines(path: Path) -> int:
    """Number of lines of a source file."""
    return path.read_text(encoding="utf-8").count("\n")


def room_of(module: str, package: Path = PACKAGE) -> str | None:
    """The room (sub-package) a module belongs to, or ``None`` for a top-level module."""
    parts = module.split(".")
    if len(parts) < 2 or not (package / parts[1]).is_dir():
        return None
    return parts[1]


def _relative_base(module: str, is_package: bool, level: int, target: str | None) -> str:
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def _imports(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The netsim modules that ``module`` imports anywhere in its source.

    ``from netsim.x import y`` imports module ``netsim.x.y`` when that is a module, else
    ``netsim.x``. Importing a module also runs its parents' ``__init__``; those edges are
    implied, not written, and are not counted.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.name
                while name and name not in known:
                    name = name.rpartition(".")[0]
                if name.startswith("netsim"):
                    found.add(name)
        elif isinstance(node, ast.ImportFrom):
            base = (
                _relative_base(module, path.name == "__init__.py", node.level, node.module)
                if node.level
                else node.module or ""
            )
            if base.split(".")[0] != "netsim":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    found.discard(module)
    return {m for m in found if m in known}


def import_graph(package: Path = PACKAGE) -> nx.DiGraph:
    """Directed graph of netsim-internal imports: an edge ``a -> b`` when ``a`` imports ``b``.

    Node attributes: ``room`` (or ``None``) and ``lines``.
    """
    import networkx as nx

    known = modules(package)
    g = nx.DiGraph()
    for name, path in known.items():
        g.add_node(name, room=room_of(name, package), lines=module_lines(path))
    for name, path in known.items():
        for target in _imports(name, path, known):
            g.add_edge(name, target)
    return g


def _first_paragraph(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return " ".join(doc.split("\n\n")[0].split())


def _room_edges(g: nx.DiGraph) -> Counter[tuple[str, str]]:
    edges: Counter[tuple[str, str]] = Counter()
    for a, b in g.edges:
        ra = g.nodes[a]["room"] or ("front door" if a in FRONT_DOOR else None)
        rb = g.nodes[b]["room"]
        if ra and rb and ra != rb:
            edges[(ra, rb)] += 1
    return edges


def _mermaid(g: nx.DiGraph) -> list[str]:
    lines = ["```mermaid", "flowchart TD"]
    lines.append('    front["front door: netsim, api, cli, docgen, architecture"]')
    for room in reversed(LAYERS):
        lines.append(f'    {room}["{room}/"]')
    for a, b in sorted(_room_edges(g)):
        src = "front" if a == "front door" else a
        lines.append(f"    {src} --> {b}")
    lines.append("```")
    return lines


def architecture_markdown(package: Path = PACKAGE) -> str:
    """The text of ``docs/architecture.md``, generated from the source."""
    g = import_graph(package)
    known = modules(package)
    out = [
        "# Architecture",
        "",
        "<!-- Generated by `netsim docs` from the source (src/netsim/architecture.py).",
        "     Do not edit by hand: change the code and run `netsim docs`. -->",
        "",
        "netsim is a package of **rooms**, one sub-package per concept. A room imports only",
        "the rooms below it, so data flows one way: a *scenario* is loaded and its plug-ins",
        "resolved (`model.loading`), the *world* (people, firms, social graph) is drawn from",
        "it, the *engine* (SimPy, timers, random streams, hooks) runs the *market*'s events,",
        "mechanisms such as the *platform* attach through the engine's hooks and the market's",
        "services facade (never its internals), the *output* recorder, ledger and summary",
        "collect what happens, and *experiments* and *viz* build on finished runs.",
        "`tests/test_architecture.py` fails on an import cycle (imports inside functions and",
        "under `TYPE_CHECKING` included), on a room importing a room above it, on a module",
        f"over {MAX_LINES} lines, and on a room importing the front door.",
        "",
        "## The rooms and who imports whom",
        "",
        "An arrow `a --> b` means modules of room `a` import modules of room `b`.",
        "Layers, lowest first: "
        + " < ".join(f"`{r}`" for r in LAYERS)
        + ".",
        "",
        *_mermaid(g),
        "",
        "## What each room holds",
        "",
        "| room | holds | modules |",
        "|---|---|---|",
    ]
    for room in LAYERS:
        init = PACKAGE / room / "__init__.py"
        if not init.exists():
            continue
        mods = sorted(m for m in known if room_of(m, package) == room and m != f"netsim.{room}")
        # Names only: line counts would make the page stale at every edit.
        listed = ", ".join(f"`{m.removeprefix(f'netsim.{room}.')}`" for m in mods)
        holds = _first_paragraph(init).replace("|", "\\|")
        out.append(f"| `{room}/` | {holds} | {listed} |")
    out += [
        "",
        "## The front door and the aliases",
        "",
        "| module | role |",
        "|---|---|",
    ]
    for m in FRONT_DOOR:
        if m in known:
            out.append(f"| `{m}` | {_first_paragraph(known[m]).replace('|', chr(92) + '|')} |")
    for m, target in sorted(ALIASES.items()):
        if m in known:
            out.append(f"| `{m}` | compatibility alias of `{target}` |")
    out += [
        "",
        "## Hooks: how a mechanism plugs in",
        "",
        _first_paragraph(PACKAGE / "engine" / "hooks.py"),
        "",
        "See `src/netsim/engine/hooks.py` for the events each hook passes, and",
        "`src/netsim/market/services.py` for what a mechanism may ask of and do to the market.",
        "",
    ]
    return "\n".join(out)
