"""The file format: JSON lines, one object a line, in one file or in the ``*.jsonl`` of a folder."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from domain.interchange.load import RowError, SourceRow
from domain.interchange.rows import Row

EXPORT_NAME = "metacentrex.jsonl"


def read_rows(path: Path) -> tuple[list[SourceRow], list[RowError]]:
    """Every non-blank line of the file (or of each ``*.jsonl`` file of the folder, by name)."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    rows: list[SourceRow] = []
    errors: list[RowError] = []
    for file in files:
        with file.open(encoding="utf-8") as stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    rows.append(SourceRow(str(file), number, json.loads(line)))
                except json.JSONDecodeError as error:
                    errors.append(RowError(str(file), number, f"not JSON: {error.msg}"))
    if not files:
        errors.append(RowError(str(path), 0, "no *.jsonl file in this folder"))
    return rows, errors


def write_rows(rows: Iterable[Row], stream: TextIO) -> int:
    """One JSON object a line (UTF-8 text, keys in the format's order); the number written."""
    written = 0
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        written += 1
    return written


def export_target(path: Path) -> Path:
    """The file to write: ``path`` itself, or ``metacentrex.jsonl`` inside a folder."""
    return path / EXPORT_NAME if path.is_dir() else path
