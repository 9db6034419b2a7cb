#!/usr/bin/env python3
"""The README's two commands, with nothing but Python 3.11+ on the machine.

    python3 manage.py run    # install (first time), build the demo database (first time), serve
    python3 manage.py test   # install the dev tools (first time), lint, type-check, every test

Both create `.venv/` beside this file and install the locked, hash-checked dependencies
(requirements.lock / requirements-dev.lock) only when the lock file changed since the last
install. Standard library only: this runs before anything is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def _run(cmd: list[str], **kw: object) -> int:
    print("$", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)  # type: ignore[call-overload]


def ensure_env(lock_name: str) -> None:
    # Runs before anything is installed, possibly on an older Python: say so plainly.
    if sys.version_info < (3, 11):  # noqa: UP036
        sys.exit("需要 Python 3.11 以上版本 (Python 3.11+ is required).")
    if not PY.exists():
        print("建立虛擬環境 .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock = ROOT / lock_name
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    stamp = VENV / f".installed-{lock_name}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"安裝相依套件（{lock_name}）…", flush=True)
    code = _run(
        [PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--require-hashes", "-r", lock]
    )
    if code != 0:
        sys.exit(code)
    stamp.write_text(digest)


def cmd_run(args: argparse.Namespace) -> int:
    ensure_env("requirements.lock")
    env = dict(os.environ)
    db_file = Path(env.get("PORTFOLIO_DB", ROOT / "data" / "portfolio.duckdb"))
    if not db_file.exists():
        print("第一次執行：以示範學校建立資料庫 …", flush=True)
        code = _run([PY, "-m", "dashboard", "demo"], env=env)
        if code != 0:
            return code
    print(f"儀表板：http://{args.host}:{args.port}  （示範帳號 demo / demo1234）", flush=True)
    return _run(
        [
            PY,
            "-m",
            "streamlit",
            "run",
            "server.py",
            "--server.address",
            args.host,
            "--server.port",
            str(args.port),
        ],
        env=env,
    )


def cmd_test(args: argparse.Namespace) -> int:
    ensure_env("requirements-dev.lock")
    steps: list[list[object]] = [
        [PY, "-m", "ruff", "format", "--check", "."],
        [PY, "-m", "ruff", "check", "."],
        [PY, "-m", "mypy"],
        [BIN / "lint-imports"],
    ]
    if args.pytest_args:  # a chosen test or option: one plain run, as asked
        steps.append([PY, "-m", "pytest", *args.pytest_args])
    else:
        # Unit, SQL and page tests on every core (pytest-xdist: each worker builds its own demo
        # database); then the browser tests one at a time, since each drives a server and a
        # Chromium of its own and would only compete for the same cores.
        steps.append([PY, "-m", "pytest", "-m", "not e2e", "-n", "auto"])
        steps.append([PY, "-m", "pytest", "-m", "e2e"])
    for step in steps:
        code = _run(step)  # type: ignore[arg-type]
        if code != 0:
            return code
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="啟動儀表板")
    r.add_argument("--host", default="127.0.0.1", help="校內伺服器對外服務時用 0.0.0.0")
    r.add_argument("--port", type=int, default=8501)
    t = sub.add_parser("test", help="執行所有檢查與測試")
    t.add_argument("pytest_args", nargs=argparse.REMAINDER, help="傳給 pytest 的參數")
    args = parser.parse_args()
    return cmd_run(args) if args.command == "run" else cmd_test(args)


if __name__ == "__main__":
    sys.exit(main())
