"""Small read-backs the tests share: a table's row count and a sorted copy of whole tables (to
prove a step wrote nothing, or wrote the same rows again)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb

from dashboard import db

Con = duckdb.DuckDBPyConnection
# The tables a meeting record and its follow-up live in (dashboard.records.meetings writes each).
MEETING_TABLES = (
    "meetings",
    "meeting_attendance",
    "meeting_guests",
    "meeting_items",
    "resolution_updates",
    "meeting_events",
)


def count(con: Con, table: str) -> int:
    return db.row_count(con, table)


def snapshot(con: Con, tables: Iterable[str]) -> dict[str, list[Any]]:
    """Each table's rows in a fixed order (by their text: rows may hold NULLs that do not sort)."""
    return {t: sorted(con.table(t).fetchall(), key=repr) for t in tables}
