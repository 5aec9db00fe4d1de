"""Diagrams of the procedures' machines, drawn by transitions' diagram support."""

from __future__ import annotations

import shutil
from typing import Literal

from dialogs.procedures import PROCEDURES
from dialogs.spec import machine_definition


def draw(procedure_id: str, fmt: str = "mermaid") -> str | bytes:
    """Mermaid source (text) or a PNG image (bytes, needs Graphviz's ``dot``)."""
    if procedure_id not in PROCEDURES:
        raise KeyError(f"unknown procedure {procedure_id!r}; known: {', '.join(PROCEDURES)}")
    if fmt not in ("mermaid", "png"):
        raise ValueError("--format must be mermaid or png")
    from transitions.extensions import GraphMachine

    states, moves = machine_definition(PROCEDURES[procedure_id])
    moves = [{k: v for k, v in m.items() if k != "before"} for m in moves]
    engine: Literal["mermaid", "graphviz"] = "mermaid" if fmt == "mermaid" else "graphviz"
    if engine == "graphviz" and shutil.which("dot") is None:
        raise RuntimeError("PNG needs Graphviz: install the 'graphviz' package (apt) first")

    class Model:
        pass

    model = Model()
    GraphMachine(
        model=model,
        states=states,
        transitions=moves,
        initial="mode",
        auto_transitions=False,
        graph_engine=engine,
        title=procedure_id,
        show_conditions=False,
    )
    graph = model.get_graph()  # type: ignore[attr-defined]
    if fmt == "mermaid":
        return str(graph.source)
    return bytes(graph.pipe(format="png"))
