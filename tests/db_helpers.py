"""Small read-backs the tests share: a table's row count and a sorted copy of whole tables (to
prove a step wrote nothing, or wrote the same rows again)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb

Con = duckdb.DuckDBPyConnection


def count(con: Con, table: str) -> int:
    row = con.execute(f'select count(*) from "{table}"').fetchone()
    assert row is not None
    return int(row[0])


def snapshot(con: Con, tables: Iterable[str]) -> dict[str, list[Any]]:
    return {t: con.execute(f'select * from "{t}" order by all').fetchall() for t in tables}
