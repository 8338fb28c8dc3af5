"""The engine is pure: it imports nothing but the standard library, so that it can be read,
tested and reused (the CLI, the offline form) without Django or a database."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import tanu.identification.engine as engine


def test_the_engine_imports_only_the_standard_library() -> None:
    tree = ast.parse(Path(engine.__file__).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            imported.add((node.module or "").split(".")[0])
    outside = {name for name in imported if name not in sys.stdlib_module_names}
    assert outside == set(), outside
