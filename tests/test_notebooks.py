"""The notebooks in experiments/ execute top to bottom and show their figures inline.

Executed at small sizes with ``MPLBACKEND=Agg`` (the backend that made figures print as
``<Figure size 900x650 with 3 Axes>``); every cell that ends with a figure must produce an
``image/png`` output. The committed notebooks keep no outputs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"
NOTEBOOKS = sorted(EXPERIMENTS.glob("*.ipynb"))


class _ThisInterpreter:
    """A kernel spec manager whose ``python3`` is the interpreter running the tests.

    Nothing is installed: the kernel is started as ``sys.executable -m ipykernel_launcher``,
    so it sees the same environment (and the editable netsim) as pytest.
    """

    def __new__(cls):
        from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

        class Manager(KernelSpecManager):
            def get_kernel_spec(self, kernel_name):
                return KernelSpec(
                    argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    display_name="netsim tests",
                    language="python",
                    resource_dir=str(EXPERIMENTS),
                )

            def find_kernel_specs(self):
                return {"python3": str(EXPERIMENTS)}

        return Manager()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, monkeypatch):
    from jupyter_client.manager import KernelManager

    monkeypatch.setenv("NETSIM_NOTEBOOK_SMALL", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    km = KernelManager(kernel_name="python3", kernel_spec_manager=_ThisInterpreter())
    client = nbclient.NotebookClient(
        nb,
        km=km,
        kernel_name="python3",
        timeout=60,
        resources={"metadata": {"path": str(EXPERIMENTS)}},
    )
    client.execute(env=dict(os.environ))
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.output_type == "error"
    ]
    assert not errors
    figure_cells = [c for c in nb.cells if c.cell_type == "code" and _ends_with_figure(c.source)]
    assert figure_cells, f"{path.name}: no cell ends with a figure"
    for cell in figure_cells:
        outputs = [o for o in cell.get("outputs", []) if "data" in o]
        assert any("image/png" in o["data"] for o in outputs), (
            f"{path.name}: no inline image for\n{cell.source}\ngot {outputs}"
        )
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            text = o.get("data", {}).get("text/plain", "")
            if "<Figure size" in text:
                assert "image/png" in o["data"], f"{path.name}: a figure printed as text"


def _ends_with_figure(source: str) -> bool:
    """Whether the cell's last line is an expression giving a figure (a plot call or ``fig``)."""
    lines = [ln for ln in source.strip().splitlines() if ln.strip()]
    last = lines[-1].strip() if lines else ""
    return last.startswith("viz.plot_") or last == "fig"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_outputs_are_cleared(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs"), f"{path.name}: clear the outputs before committing"
            assert cell.get("execution_count") is None
