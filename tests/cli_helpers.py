"""The command line as a user runs it: a subprocess of this Python from the repository root."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_cli(
    *args: str, stdin: str | None = None, start: Sequence[str] = ("-m", "dashboard")
) -> subprocess.CompletedProcess[str]:
    """`python -m dashboard *args` (or `python *start *args`), `stdin` typed in; its output as text
    and its exit code as it ends (a failing one raises nothing)."""
    return subprocess.run(
        [sys.executable, *start, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        check=False,
        timeout=120,
    )
