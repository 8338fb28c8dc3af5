"""Every environment variable tanu reads is in the README's configuration table, and every
variable the table names is still read: a deployer who reads the table misses nothing."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
NAME = re.compile(r"TANU_[A-Z0-9_]+")
# Functions whose first argument is the name of an environment variable.
READERS = {"env_str", "env_int", "env_bool", "env_list", "getenv"}
ENVIRON_METHODS = {"get", "pop", "setdefault"}


def _is_environ(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _names_read(tree: ast.Module) -> set[str]:
    """The TANU_* names this module reads from the environment: literal names, and module-level
    constants (``ENV_KEYS = "TANU_FIELD_KEYS"``) passed to a reader."""
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }

    def name_of(arg: ast.expr) -> str | None:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            value = arg.value
        elif isinstance(arg, ast.Name) and arg.id in constants:
            value = constants[arg.id]
        else:
            return None
        return value if NAME.fullmatch(value) else None

    found: set[str] = set()
    for node in ast.walk(tree):
        arg: ast.expr | None = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called in READERS or (
                isinstance(func, ast.Attribute)
                and func.attr in ENVIRON_METHODS
                and _is_environ(func.value)
            ):
                arg = node.args[0]
        elif isinstance(node, ast.Subscript) and _is_environ(node.value):
            arg = node.slice
        if arg is not None and (name := name_of(arg)):
            found.add(name)
    return found


def variables_the_code_reads() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "tanu").rglob("*.py"):
        if "tests" in path.parts or (
            path.name.startswith("test_") and path.name != "test_settings.py"
        ):
            continue
        names |= _names_read(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return names


def variables_the_readme_documents() -> set[str]:
    """The names in the first column of the table under "## Configuration"."""
    section = README.read_text(encoding="utf-8").split("\n## Configuration\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            names |= set(NAME.findall(line.split("|")[1]))
    return names


def test_the_scan_sees_each_way_tanu_reads_the_environment() -> None:
    read = variables_the_code_reads()
    # env_* helpers, os.environ.get with a module constant, os.environ[...] and a migration.
    assert {"TANU_DEBUG", "TANU_FIELD_KEYS", "TANU_BACKUP_KEY", "TANU_BUILD_COMMAND"} <= read
    assert "TANU_AUDIT_REHASH_BROKEN_CHAIN" in read
    assert "TANU_API_SCHEMA_PUBLIC" not in read  # a setting, not an environment variable


def test_every_variable_the_code_reads_is_in_the_configuration_table() -> None:
    missing = sorted(variables_the_code_reads() - variables_the_readme_documents())
    assert missing == [], f"README's configuration table lacks: {', '.join(missing)}"


def test_the_configuration_table_names_no_variable_the_code_no_longer_reads() -> None:
    stale = sorted(variables_the_readme_documents() - variables_the_code_reads())
    assert stale == [], f"README's configuration table names unread variables: {', '.join(stale)}"
