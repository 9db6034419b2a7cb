"""What an import is about to replace, said plainly before the clerk confirms.

A snapshot replace works per (學年度, 學期) scope (platform-export.md), whatever the 部別. So a
roster exported for one division only would delete the other division's rows of that semester;
this module finds that and says it in Chinese next to the file, with the counts. It only reads.
Must not import streamlit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import duckdb

from dashboard.validate import ParsedTable, Scope, compose_sql


@dataclass(frozen=True)
class Replacement:
    file: str
    sheet: str | None
    kind_label: str
    current_rows: int  # rows now in the database that this file's scopes replace
    new_rows: int
    cautions: list[str]


def _scope_text(scope: Scope) -> str:
    year, semester = scope
    return f"{year}學年度" if semester is None else f"{year}-{semester}"


def _current(cur: duckdb.DuckDBPyConnection, table: ParsedTable, scope: Scope | None) -> Counter[str]:
    """Rows now stored in one scope (None = the whole table), counted by 部別 when the kind has one."""
    kind = table.kind
    has_division = any(c.name == "division" for c in kind.columns)
    select = (
        "select coalesce(division, ''), count(*) from {table}"
        if has_division
        else "select '', count(*) from {table}"
    )
    params: dict[str, int | None] = {}
    if scope is None:
        sql = select + " group by 1"
    elif kind.scope == "year":
        sql, params = select + " where school_year = $year group by 1", {"year": scope[0]}
    else:
        sql = select + " where school_year = $year and semester is not distinct from $semester group by 1"
        params = {"year": scope[0], "semester": scope[1]}
    # The table name comes from kinds.py (compose_sql refuses anything else); values are bound.
    rows = cur.execute(compose_sql(sql, table=kind.table), params).fetchall()
    return Counter({str(d): int(n) for d, n in rows})


def replacements(con: duckdb.DuckDBPyConnection, tables: list[ParsedTable]) -> list[Replacement]:
    cur = con.cursor()
    try:
        out = []
        for table in tables:
            kind = table.kind
            scopes: list[Scope | None] = list(table.scopes) if kind.scope != "all" else [None]
            file_divisions = set(table.columns.get("division", []))
            total = 0
            cautions = []
            for scope in scopes:
                current = _current(cur, table, scope)
                total += sum(current.values())
                lost = {d: n for d, n in current.items() if d and d not in file_divisions}
                if "division" in table.columns and lost:
                    where = _scope_text(scope) if scope else "全部"
                    kept = "、".join(sorted(str(d) for d in file_divisions if d)) or "（無）"
                    gone = "、".join(f"{d} {n:,} 筆" for d, n in sorted(lost.items()))
                    cautions.append(
                        f"此檔只含 {kept}；匯入後 {where} 的{kind.label}中 {gone}會被刪除"
                        "（同一學期的資料整批取代）。若只想更新一個部別，請匯出兩個部別的完整資料。"
                    )
            out.append(Replacement(table.file, table.sheet, kind.label, total, table.rows, cautions))
        return out
    finally:
        cur.close()
