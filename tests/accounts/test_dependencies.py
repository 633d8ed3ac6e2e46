"""The base app stands alone: `accounts` imports none of the apps built on top of it."""

import ast
from pathlib import Path

import pytest

ACCOUNTS = Path(__file__).resolve().parents[2] / "accounts"
HIGHER_APPS = {
    "backoffice",
    "clock",
    "closing",
    "demo",
    "imports",
    "ledger",
    "ooo",
    "presences",
    "workingtimes",
}


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize(
    "path", sorted(ACCOUNTS.rglob("*.py")), ids=lambda p: str(p.relative_to(ACCOUNTS))
)
def test_accounts_imports_no_app_above_it(path):
    above = {m for m in imported_modules(path) if m.split(".")[0] in HIGHER_APPS}

    assert not above, f"{path.name} imports {sorted(above)}"
