"""The checks of an import that need the database (importer.py runs them after validate.py):
a key already stored under a scope the bundle does not replace (check_existing_ids), and which
files are identical to what the latest import of their scopes brought, so they are skipped and
reported as unchanged (_unchanged). Both only read; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from dashboard.ingest import scopes
from dashboard.ingest.kinds import KINDS
from dashboard.ingest.validate import ParsedTable, Problem, compose_sql

_CLASHES = """
select {keys}, {table}.school_year, SEMESTER, DIVISION
from {table}
join incoming_keys as k on KEYS_MATCH
where not exists (select 1 from scope_set as r where CONDITION)
"""


def check_existing_ids(cur: duckdb.DuckDBPyConnection, tables: Sequence[ParsedTable]) -> list[Problem]:
    """A key already stored under a scope this bundle does not replace (an 成果編號 under another
    semester, a student in the other 部別's roster of the same semester): the table's key spans
    every scope, so the insert could not hold both."""
    problems: list[Problem] = []
    for kind in KINDS:
        mine = [t for t in tables if t.kind is kind]
        if not mine or kind.scope == "all" or "division" in kind.key_columns:
            continue
        wanted = sorted({s for t in mine for s in t.scopes}, key=scopes.order)
        semester = (
            compose_sql("{table}.semester", table=kind.table) if kind.scope == "year_semester" else "null"
        )
        division = scopes.stored_division(kind)
        division = (
            compose_sql("{table}.{column}", table=kind.table, column=division)
            if division != "null"
            else "null"
        )
        sql = (
            _CLASHES.replace("SEMESTER", semester)
            .replace("DIVISION", division)
            .replace("KEYS_MATCH", scopes.key_condition(kind))
            .replace("CONDITION", scopes.condition(kind))
        )
        keys = [compose_sql("{table}.{column}", table=kind.table, column=c) for c in kind.key_columns]
        cur.register("incoming_keys", scopes.key_frame(kind, mine))
        try:
            with scopes.registered(cur, wanted):
                found = cur.execute(
                    compose_sql(sql.replace("{keys}", ", ".join(keys)), table=kind.table)
                ).fetchall()
        finally:
            cur.unregister("incoming_keys")
        if not found:
            continue
        width = len(kind.key_columns)
        clashing = {tuple(_plain(v) for v in row[:width]): row[width:] for row in found}
        headers = "、".join(kind.column(c).header for c in kind.key_columns)
        for t in mine:
            columns = [t.columns[c] for c in kind.key_columns]
            for j, key in enumerate(zip(*columns, strict=True)):
                where = clashing.get(tuple(_plain(v) for v in key))
                if where is None:
                    continue
                year, term, div = where
                label = scopes.label((year, term, div if div is not None else scopes.WHOLE))
                shown = "、".join("（空白）" if v is None else str(v) for v in key)
                row = t.source_rows[j]
                message = (
                    f"第 {row} 列的{headers}「{shown}」已存在於資料庫中 {label} 的{kind.label}，"
                    "而這批檔案不會取代那個範圍；同一筆資料不能同時屬於兩個範圍"
                    "（例如學生轉部別或換學期後，請一併匯入原範圍的最新匯出檔）"
                )
                problems.append(Problem(t.file, t.sheet, row, headers, shown, message))
    return problems


def _plain(value: Any) -> Any:
    """A key value as both Python and DuckDB give it (a timestamp without its pandas type)."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _unchanged(con: duckdb.DuckDBPyConnection, tables: list[ParsedTable]) -> set[int]:
    """Indexes of tables identical to what the latest import of their scopes brought.

    The latest batch (not undone) that touched any of a table's scopes must hold the same file
    (same sha256, sheet and scopes). A changed table of the same kind re-imports every table
    sharing a scope with it, since replacing the scope would otherwise drop their rows.
    """
    cur = con.cursor()
    try:
        log = cur.execute(
            "select batch_id, kind, sheet_name, sha256, scopes from imports"
            " where batch_id not in (select batch_id from import_batches where undone_at is not null)"
            " order by import_id desc"
        ).fetchall()
    finally:
        cur.close()

    def touches(t: ParsedTable, raw: str) -> bool:
        logged = scopes.from_json(raw)
        return logged is None or scopes.any_overlap(t.kind, t.scopes, logged)

    same: set[int] = set()
    for i, t in enumerate(tables):
        latest = next((r for r in log if r[1] == t.kind.key and touches(t, r[4])), None)
        if latest is not None and any(
            r[0] == latest[0]
            and r[1] == t.kind.key
            and r[2] == t.sheet
            and r[3] == t.sha256
            and r[4] == scopes.to_json(t.kind, t.scopes)
            for r in log
        ):
            same.add(i)
    while True:
        redo = {
            i
            for i in same
            for j, other in enumerate(tables)
            if j not in same
            and other.kind is tables[i].kind
            and scopes.any_overlap(other.kind, other.scopes, tables[i].scopes)
        }
        if not redo:
            return same
        same -= redo
