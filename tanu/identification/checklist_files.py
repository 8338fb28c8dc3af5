"""Reading the checklist data files shipped in ``tanu/identification/checklists/``.

Pure Python (no Django): the engine, the CLI, the tests and the benchmarks read the same files.
The ILO checklists are ``ilo-*.json``; ``triage.json`` (the short first-contact screen) is
separate and read with :func:`load_triage`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tanu.identification.engine import Checklist

CHECKLIST_DIR = Path(__file__).resolve().parent / "checklists"
CHECKLIST_GLOB = "ilo-*.json"
TRIAGE_FILE = "triage.json"


def load_checklist_file(path: str | Path) -> dict[str, Any]:
    """Read one JSON data file; raise ValueError when it is not a JSON object."""
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object at the top level")
    return data


def checklist_paths(directory: str | Path = CHECKLIST_DIR) -> list[Path]:
    """The checklist files (``ilo-*.json``) in ``directory``, sorted by name."""
    return sorted(Path(directory).glob(CHECKLIST_GLOB))


def load_all_data(directory: str | Path = CHECKLIST_DIR) -> dict[str, dict[str, Any]]:
    """The raw data of every checklist file, by checklist id (not validated)."""
    result: dict[str, dict[str, Any]] = {}
    for path in checklist_paths(directory):
        data = load_checklist_file(path)
        checklist_id = data.get("id")
        if not isinstance(checklist_id, str):
            raise ValueError(f"{path}: the checklist has no id")
        if checklist_id in result:
            raise ValueError(f"{path}: checklist id {checklist_id!r} is used by another file")
        result[checklist_id] = data
    return result


def load_all(directory: str | Path = CHECKLIST_DIR) -> dict[str, Checklist]:
    """Every checklist in ``directory``, validated and indexed, by id.

    Raises :class:`tanu.identification.engine.InvalidChecklistError` for an invalid file.
    """
    return {cid: Checklist.from_dict(data) for cid, data in load_all_data(directory).items()}


def load_triage(directory: str | Path = CHECKLIST_DIR) -> dict[str, Any]:
    """The triage screen's data (``triage.json``)."""
    return load_checklist_file(Path(directory) / TRIAGE_FILE)
