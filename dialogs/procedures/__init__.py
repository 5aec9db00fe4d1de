"""The procedures of the fiches, one module each; every module exposes ``PROCEDURE``."""

from __future__ import annotations

import importlib
import pkgutil

from dialogs.spec import Procedure


def _discover() -> dict[str, Procedure]:
    found: dict[str, Procedure] = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_"):
            continue
        procedure = getattr(importlib.import_module(f"{__name__}.{module.name}"), "PROCEDURE", None)
        if isinstance(procedure, Procedure):
            found[procedure.id] = procedure
    return found


PROCEDURES: dict[str, Procedure] = _discover()
