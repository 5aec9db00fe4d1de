"""Data in and out: the whole MetaCentrex model as JSON lines (``openip-bot import/export``).

One JSON object a line, each with a ``kind``; the format is described in the README
(« Data in and out »). Every row is checked by the domain's rules, matched by its reference, and
an import is one transaction: every row is loaded, or none.
"""

from domain.interchange.dump import export_rows
from domain.interchange.jsonl import export_target, read_rows, write_rows
from domain.interchange.load import ImportRejected, ImportReport, RowError, SourceRow, import_rows
from domain.interchange.rows import KINDS

__all__ = [
    "KINDS",
    "ImportRejected",
    "ImportReport",
    "RowError",
    "SourceRow",
    "export_rows",
    "export_target",
    "import_rows",
    "read_rows",
    "write_rows",
]
