"""Build the demo database: the committed demo bundle, imported like any user's files.

`data/demo/` holds the text bundle the generator (dashboard/demo.py) wrote from a fixed seed;
here it goes through the same importer a clerk uses, stamped with the bundle's fixed export
moment, and the documented demo accounts are added, then the working group's demo meetings
(dashboard/demo_meetings.py) and the deputies and self-check records (dashboard/demo_duties.py).
Must not import streamlit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb

from dashboard import auth
from dashboard.demo import duties as demo_duties
from dashboard.demo import meetings as demo_meetings
from dashboard.demo.bundle import DEMO_DIR, DEMO_EXPORTED_AT
from dashboard.ingest import importer

# Documented in the README: one account per role, all with the same demo password.
DEMO_PASSWORD = "demo1234"
DEMO_USERS: tuple[tuple[str, str, str], ...] = (
    ("demo", "示範管理者", "管理者"),
    ("registry", "註冊組（示範）", "註冊組"),
    ("secretary", "教務主任（示範）", "執行秘書"),
    ("principal", "校長（示範）", "校長"),
    ("member", "工作小組委員（示範）", "工作小組委員"),
)


def build(
    con: duckdb.DuckDBPyConnection,
    progress: Callable[[float, str], None] | None = None,
) -> dict[str, Any]:
    files = sorted(DEMO_DIR.glob("*.csv"))
    if not files:
        raise FileNotFoundError(f"找不到示範資料（{DEMO_DIR.name}/*.csv）。")
    report = importer.import_paths(
        con, files, imported_by="示範資料", exported_at=DEMO_EXPORTED_AT, progress=progress
    )
    if not report.ok:
        first = "; ".join(p.message for p in report.problems[:5])
        raise RuntimeError(f"示範資料匯入失敗（{len(report.problems)} 個問題）：{first}")
    for username, name, role in DEMO_USERS:
        auth.add_user(con, username, DEMO_PASSWORD, role, name, replace=True)
    meetings = demo_meetings.seed(con)  # the working group's rosters and a year of meetings
    records = demo_duties.seed(con)  # 代理人 per unit and the 自我檢核 records
    return {
        "files": len(files),
        "rows": sum(f.rows for f in report.files),
        "changed": report.changed,
        "warnings": report.warnings_count,
        "exported_at": DEMO_EXPORTED_AT.isoformat(sep=" "),
        "users": [u[0] for u in DEMO_USERS],
        "meetings": meetings,
        "records": records,
    }
