"""Snapshot scopes per division: which stored rows an import replaces (platform-export.md).

A scope is (學年度, 學期, 部別); per-year kinds (多元表現, 研習場次) have 學期 None. The 部別 is a
row's own 部別 column where the kind has one; for 作業期程 and 研習場次 an empty 部別 (the rows
both divisions share) is a scope of its own, None. Kinds without the column (課程學習成果,
多元表現, 幹部經歷, 課程諮詢紀錄, 收訖確認) take the 部別 of the student's 學生名冊 row of that
semester, from the bundle where it brings that roster, else from the database (per-year rows:
the student's latest semester of the year). That 部別 is stored with the row as
`scope_division`, so a later import finds its rows without asking the roster again.

A row whose student has no roster row (an orphan) follows the file's other rows of its semester:
stored with their one 部別, or with NULL when they hold both (it then belongs to both scopes, and
either replaces it). A file of orphans only replaces the whole semester: division WHOLE.
Staff have no scope: the whole table is replaced.

The SQL conditions here read a registered relation `scope_set (y, s, d)`; values are always
bound, and table names come from kinds.py through validate.compose_sql. Must not import
streamlit.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb
import pandas as pd

from dashboard.ingest.kinds import Kind
from dashboard.ingest.normalize import Invalid
from dashboard.ingest.validate import ParsedTable, Scope, compose_sql

WHOLE = "*"  # every division of the semester (a file whose rows' 部別 cannot be resolved)

# When is a stored row of {table} inside the scope r (a row of scope_set)? Written once per way a
# kind has its scope, and used for counting, archiving, deleting and clash checks alike.
_CONDITIONS = {
    ("year_semester", "column"): (
        "r.y = {table}.school_year and r.s = {table}.semester"
        " and (r.d = '*' or r.d is not distinct from {table}.division)"
    ),
    ("year_semester", "roster"): (
        "r.y = {table}.school_year and r.s = {table}.semester"
        " and (r.d = '*' or {table}.scope_division is null or {table}.scope_division = r.d)"
    ),
    ("year", "column"): (
        "r.y = {table}.school_year and (r.d = '*' or r.d is not distinct from {table}.division)"
    ),
    ("year", "roster"): (
        "r.y = {table}.school_year"
        " and (r.d = '*' or {table}.scope_division is null or {table}.scope_division = r.d)"
    ),
}


def condition(kind: Kind) -> str:
    """The join condition between `scope_set as r` and the kind's table ('true' for staff)."""
    if kind.scope == "all":
        return "true"
    return compose_sql(_CONDITIONS[(kind.scope, kind.division_from)], table=kind.table)


def in_scopes(kind: Kind) -> str:
    """A WHERE condition: the kind's row lies in one of the registered scopes."""
    if kind.scope == "all":
        return "true"
    return "exists (select 1 from scope_set as r where " + condition(kind) + ")"


def stored_division(kind: Kind) -> str:
    """The column that holds a stored row's scope 部別."""
    return {"column": "division", "roster": "scope_division"}.get(kind.division_from, "null")


@contextmanager
def registered(cur: duckdb.DuckDBPyConnection, scopes: Iterable[Scope]) -> Iterator[None]:
    """`scope_set (y, s, d)` visible to this cursor's statements for the block."""
    rows = list(scopes)
    frame = pd.DataFrame(
        {
            "y": pd.array([r[0] for r in rows], dtype="Int64"),
            "s": pd.array([r[1] for r in rows], dtype="Int64"),
            "d": pd.Series([r[2] for r in rows], dtype=object),
        }
    )
    cur.register("scope_set", frame)
    try:
        yield
    finally:
        cur.unregister("scope_set")


def key_condition(kind: Kind) -> str:
    """`incoming_keys as k` holds the same key as the stored row (NULLs match NULLs)."""
    parts = [
        compose_sql("k.{column} is not distinct from {table}.{column}", column=c, table=kind.table)
        for c in kind.key_columns
    ]
    return " and ".join(parts)


def key_frame(kind: Kind, tables: Sequence[ParsedTable]) -> pd.DataFrame:
    """The bundle's keys of one kind, typed as the table's columns, to register as incoming_keys."""
    data: dict[str, Any] = {}
    for c in kind.key_columns:
        values = [None if isinstance(v, Invalid) else v for t in tables for v in t.columns[c]]
        column_type = kind.column(c).type
        if column_type in ("int", "semester"):
            data[c] = pd.array(values, dtype="Int64")
        elif column_type in ("date", "ts"):
            data[c] = pd.Series(pd.to_datetime(pd.Series(values, dtype=object)))
        else:
            data[c] = pd.Series(values, dtype=object)
    return pd.DataFrame(data)


def overlaps(a: Scope, b: Scope) -> bool:
    """Two scopes of one kind share rows: same period, and the same 部別 or one is WHOLE."""
    return a[:2] == b[:2] and (a[2] == b[2] or WHOLE in (a[2], b[2]))


def any_overlap(kind: Kind, a: Iterable[Scope], b: Iterable[Scope]) -> bool:
    if kind.scope == "all":
        return True
    bs = list(b)
    return any(overlaps(x, y) for x in a for y in bs)


def order(scope: Scope) -> tuple[int, int, str]:
    y, s, d = scope
    return y, -1 if s is None else s, "" if d is None else d


def to_json(kind: Kind, scopes: Iterable[Scope]) -> str:
    """How the imports log keeps a file's scopes: "all", or [[學年度, 學期, 部別], …]."""
    if kind.scope == "all":
        return json.dumps("all")
    return json.dumps([list(s) for s in sorted(set(scopes), key=order)], ensure_ascii=False)


def from_json(raw: str) -> list[Scope] | None:
    """The scopes an imports row names; None for staff ("all"). Rows logged before scopes had a
    部別 ([學年度, 學期]) replaced the whole semester."""
    value = json.loads(raw)
    if value == "all":
        return None
    return [(p[0], p[1], p[2] if len(p) > 2 else WHOLE) for p in value]


def division_text(division: str | None) -> str:
    if division is None:
        return "兩部共同"
    return "全部部別" if division == WHOLE else division


def label(scope: Scope | None) -> str:
    """「114-2 日間部」「114學年度 進修部」; None (staff) is 「全部」."""
    if scope is None:
        return "全部"
    y, s, d = scope
    period = f"{y}學年度" if s is None else f"{y}學年度全學年" if s == 0 else f"{y}-{s}"
    return f"{period} {division_text(d)}"


def _period(kind: Kind, year: Any, semester: Any) -> tuple[int, int | None] | None:
    if not isinstance(year, int):
        return None
    if kind.scope == "year":
        return year, None
    return (year, semester) if isinstance(semester, int) else None


def _effective_roster(
    cur: duckdb.DuckDBPyConnection, tables: Sequence[ParsedTable]
) -> tuple[dict[tuple[int, int, str], str], dict[tuple[int, str], str]]:
    """The roster as it will stand after this bundle: its own 學生名冊 rows for the scopes it
    brings, the stored rows for every other scope. By (學年度, 學期, 學號), and by (學年度, 學號)
    for the latest semester of the year."""
    years: list[Any] = []
    terms: list[Any] = []
    numbers: list[Any] = []
    divisions: list[Any] = []
    for t in tables:
        if t.kind.key != "students":
            continue
        for y, s, no, d in zip(
            t.columns["school_year"],
            t.columns["semester"],
            t.columns["student_no"],
            t.columns["division"],
            strict=True,
        ):
            if isinstance(y, int) and isinstance(s, int) and isinstance(no, str) and isinstance(d, str):
                years.append(y)
                terms.append(s)
                numbers.append(no)
                divisions.append(d)
    incoming = pd.DataFrame(
        {
            "y": pd.array(years, dtype="Int64"),
            "s": pd.array(terms, dtype="Int64"),
            "student_no": pd.Series(numbers, dtype=object),
            "division": pd.Series(divisions, dtype=object),
        }
    )
    cur.register("incoming_roster", incoming)
    try:
        rows = cur.execute(_EFFECTIVE_ROSTER).fetchall()
    finally:
        cur.unregister("incoming_roster")
    by_term = {(int(y), int(s), str(no)): str(d) for y, s, no, d in rows}
    latest: dict[tuple[int, str], tuple[int, str]] = {}
    for (y, s, no), d in by_term.items():
        if (y, no) not in latest or s > latest[(y, no)][0]:
            latest[(y, no)] = (s, d)
    return by_term, {k: v[1] for k, v in latest.items()}


_EFFECTIVE_ROSTER = """
with incoming as (
    select y, s, student_no, division, 1 as priority
    from incoming_roster
),

replaced as (
    select distinct y, s, division
    from incoming
),

kept as (
    select
        school_year as y,
        semester as s,
        student_no,
        division,
        0 as priority
    from students
    where not exists (
        select 1 from replaced
        where replaced.y = students.school_year
          and replaced.s = students.semester
          and replaced.division = students.division
    )
),

final as (
    select
        y,
        s,
        student_no,
        arg_max(division, priority) as division
    from (select * from incoming union all select * from kept)
    group by y, s, student_no
)

select * from final
"""


def resolve(cur: duckdb.DuckDBPyConnection, tables: Sequence[ParsedTable]) -> None:
    """Fill each table's `scopes` and, for kinds without a 部別 column, `row_divisions` (the
    `scope_division` each row is stored with)."""
    needs_roster = any(t.kind.division_from == "roster" for t in tables)
    by_term, by_year = _effective_roster(cur, tables) if needs_roster else ({}, {})
    for t in tables:
        kind = t.kind
        if kind.scope == "all":
            t.scopes = []
            continue
        years = t.columns["school_year"]
        terms = t.columns["semester"] if "semester" in t.columns else [None] * len(years)
        periods = [_period(kind, y, s) for y, s in zip(years, terms, strict=True)]
        if kind.division_from == "column":
            found = {
                (p[0], p[1], d) for p, d in zip(periods, t.columns["division"], strict=True) if p is not None
            }
            t.scopes = sorted((s for s in found if s[2] is None or isinstance(s[2], str)), key=order)
            continue
        resolved: list[str | None] = []
        numbers = t.columns["student_no"]
        for p, s, no in zip(periods, terms, numbers, strict=True):
            if p is None or not isinstance(no, str):
                resolved.append(None)
            elif kind.scope == "year" or s == 0:
                resolved.append(by_year.get((p[0], no)))
            else:
                resolved.append(by_term.get((p[0], s, no)))
        seen: dict[tuple[int, int | None], set[str]] = defaultdict(set)
        for p, d in zip(periods, resolved, strict=True):
            if p is not None:
                seen.setdefault(p, set())
                if d is not None:
                    seen[p].add(d)
        for j, (p, d) in enumerate(zip(periods, resolved, strict=True)):
            if p is not None and d is None and len(seen[p]) == 1:
                resolved[j] = next(iter(seen[p]))  # an orphan follows the file's one 部別
        t.row_divisions = resolved
        scopes: set[Scope] = set()
        for p, divisions in seen.items():
            if divisions:
                scopes.update((p[0], p[1], d) for d in divisions)
            else:
                scopes.add((p[0], p[1], WHOLE))
        t.scopes = sorted(scopes, key=order)


def rows_after(tables: Sequence[ParsedTable], scope: Scope) -> int:
    """How many of the files' rows the scope will hold (an orphan shared by both 部別 counts in
    each)."""
    y, s, d = scope
    total = 0
    for t in tables:
        kind = t.kind
        years = t.columns["school_year"]
        terms = t.columns["semester"] if kind.scope == "year_semester" else [None] * len(years)
        if kind.division_from == "column":
            divisions: Sequence[str | None] = t.columns["division"]
        else:
            divisions = t.row_divisions or [None] * len(years)
        counts = Counter(zip(years, terms, divisions, strict=True))
        for (ry, rs, rd), n in counts.items():
            if (ry, rs) != (y, s):
                continue
            shared = kind.division_from == "roster" and rd is None
            if d == WHOLE or rd == d or shared:
                total += n
    return total
