"""Small read-backs the tests share: a table's row count and a sorted copy of whole tables (to
prove a step wrote nothing, or wrote the same rows again)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb

from dashboard import db

Con = duckdb.DuckDBPyConnection


def count(con: Con, table: str) -> int:
    return db.row_count(con, table)


def snapshot(con: Con, tables: Iterable[str]) -> dict[str, list[Any]]:
    """Each table's rows in a fixed order (by their text: rows may hold NULLs that do not sort)."""
    return {t: sorted(con.table(t).fetchall(), key=repr) for t in tables}
