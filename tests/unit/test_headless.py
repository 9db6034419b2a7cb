"""The core must never import streamlit (harlequin's rule): each module in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import dashboard

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(dashboard.__path__, prefix="dashboard.")
    if not m.name.endswith("__main__")
)


def test_there_are_core_modules() -> None:
    assert {"dashboard.db", "dashboard.ingest.kinds", "dashboard.cli", "dashboard.auth"} <= set(MODULES)


def test_no_core_module_imports_streamlit() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert 'streamlit' not in sys.modules, name\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
