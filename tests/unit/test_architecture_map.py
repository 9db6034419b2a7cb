"""docs/architecture.md names every module of the core, the UI pieces and the pages, and names
nothing that is gone: the map stays true, or this test says what to add or remove."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAP = ROOT / "docs" / "architecture.md"


def _modules() -> set[str]:
    found = {p.relative_to(ROOT).as_posix() for p in (ROOT / "dashboard").rglob("*.py")}
    found |= {
        p.relative_to(ROOT).as_posix() for folder in ("ui", "pages") for p in (ROOT / folder).glob("*.py")
    }
    found |= {"app.py", "server.py"}
    return {m for m in found if not m.endswith("__init__.py") and "__pycache__" not in m}


def _named() -> set[str]:
    return set(
        re.findall(
            r"`((?:dashboard|ui|pages)/[\w/]+\.py|app\.py|server\.py)`", MAP.read_text(encoding="utf-8")
        )
    )


def test_every_module_is_on_the_map() -> None:
    missing = sorted(_modules() - _named())
    assert not missing, f"add to docs/architecture.md: {missing}"


def test_the_map_names_no_module_that_is_gone() -> None:
    gone = sorted(_named() - _modules())
    assert not gone, f"remove from docs/architecture.md: {gone}"


def test_every_room_says_what_it_holds() -> None:
    rooms = [p for p in (ROOT / "dashboard").iterdir() if (p / "__init__.py").exists()]
    assert len(rooms) >= 6
    for room in rooms:
        doc = (room / "__init__.py").read_text(encoding="utf-8")
        assert doc.startswith('"""') and len(doc) > 200, room.name
