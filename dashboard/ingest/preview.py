"""What an import is about to replace, said plainly before anything is written.

Per kind and scope (學年度, 學期, 部別): the rows stored now, the rows the scope will hold after
the import, and the stored rows that disappear (their key is not in the bundle). A scope that
would lose more than half its rows, and a bundle whose 部別 or 學年度 differ from what the same
user has imported before, are cautions: the import goes ahead only when the clerk confirms them
(the page's checkbox, the command line's --yes or y/N). The plan's fingerprint ties a
confirmation to exactly the plan the clerk saw. This module only reads; it must not import
streamlit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import duckdb

from dashboard import db
from dashboard.ingest import scopes
from dashboard.ingest.kinds import KINDS, Kind
from dashboard.ingest.validate import ParsedTable, Scope, compose_sql

LOSS_SHARE = 0.5  # a scope losing more than this share of its stored rows needs a confirmation


@dataclass(frozen=True)
class ScopeChange:
    kind: str  # kinds key
    kind_label: str
    scope: Scope | None  # None: the whole table (staff)
    scope_label: str
    stored_rows: int  # rows in the database now
    rows_after: int  # rows the scope will hold: the bundle's
    disappearing_rows: int  # stored rows whose key the bundle does not bring back

    @property
    def loses_most(self) -> bool:
        return self.stored_rows > 0 and self.disappearing_rows > LOSS_SHARE * self.stored_rows


@dataclass
class Plan:
    changes: list[ScopeChange] = field(default_factory=list)
    cautions: list[str] = field(default_factory=list)  # each needs the clerk's confirmation

    @property
    def fingerprint(self) -> str:
        """Names this exact plan: a confirmation given for one plan does not carry to another."""
        text = json.dumps([asdict(c) for c in self.changes] + self.cautions, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


_COUNTS = """
select
    r.y,
    r.s,
    r.d,
    count(*) as stored_rows,
    count(*) filter (where not exists (select 1 from incoming_keys as k where {keys})) as disappearing
from {table}
join scope_set as r on {condition}
group by r.y, r.s, r.d
"""


def _stored(
    cur: duckdb.DuckDBPyConnection, kind: Kind, mine: Sequence[ParsedTable], wanted: list[Scope]
) -> dict[Scope | None, tuple[int, int]]:
    """Stored rows and disappearing rows per scope."""
    cur.register("incoming_keys", scopes.key_frame(kind, mine))
    try:
        if kind.scope == "all":
            sql = (
                "select count(*), count(*) filter (where not exists"
                " (select 1 from incoming_keys as k where " + scopes.key_condition(kind) + ")) from {table}"
            )
            row = db.first_row(cur.execute(compose_sql(sql, table=kind.table)))
            return {None: (int(row[0]), int(row[1])) if row else (0, 0)}
        template = _COUNTS.replace("{keys}", scopes.key_condition(kind)).replace(
            "{condition}", scopes.condition(kind)
        )
        with scopes.registered(cur, wanted):
            rows = cur.execute(compose_sql(template, table=kind.table)).fetchall()
        return {(int(y), None if s is None else int(s), d): (int(n), int(gone)) for y, s, d, n, gone in rows}
    finally:
        cur.unregister("incoming_keys")


def _usual(cur: duckdb.DuckDBPyConnection, user: str) -> tuple[set[str], int | None]:
    """The 部別 and the newest 學年度 of the imports this user made before (not undone)."""
    rows = cur.execute(
        "select imports.scopes from imports"
        " join import_batches using (batch_id)"
        " where import_batches.imported_by = $user and import_batches.undone_at is null",
        {"user": user},
    ).fetchall()
    divisions: set[str] = set()
    years: list[int] = []
    for (raw,) in rows:
        for y, _s, d in scopes.from_json(raw) or []:
            years.append(y)
            if d not in (None, scopes.WHOLE):
                divisions.add(str(d))
    return divisions, max(years) if years else None


def _habit_cautions(
    cur: duckdb.DuckDBPyConnection, user: str | None, changes: list[ScopeChange]
) -> list[str]:
    if user is None:
        return []
    usual_divisions, newest = _usual(cur, user)
    mine = [c.scope for c in changes if c.scope is not None]
    cautions = []
    divisions = {d for _y, _s, d in mine if d not in (None, scopes.WHOLE)}
    strange = sorted(str(d) for d in divisions - usual_divisions)
    if usual_divisions and strange:
        cautions.append(
            f"您（{user}）過去匯入的都是{'、'.join(sorted(usual_divisions))}的資料，"
            f"這批檔案卻含{'、'.join(strange)}；請確認沒有選錯檔案"
        )
    years = sorted({y for y, _s, _d in mine})
    if newest is not None and years and years[0] < newest:
        cautions.append(
            f"您最近匯入的是 {newest} 學年度的資料，這批檔案含較早的 {years[0]} 學年度，會取代已存的舊資料"
        )
    if newest is not None and years and years[-1] > newest + 1:
        cautions.append(
            f"您最近匯入的是 {newest} 學年度的資料，這批檔案卻含 {years[-1]} 學年度；請確認學年度無誤"
        )
    return cautions


def plan(con: duckdb.DuckDBPyConnection, tables: Sequence[ParsedTable], user: str | None = None) -> Plan:
    """The changes the tables (already through scopes.resolve) would make, and the cautions."""
    out = Plan()
    cur = con.cursor()
    try:
        for kind in KINDS:
            mine = [t for t in tables if t.kind is kind]
            if not mine:
                continue
            wanted = sorted({s for t in mine for s in t.scopes}, key=scopes.order)
            stored = _stored(cur, kind, mine, wanted)
            for scope in wanted if kind.scope != "all" else [None]:
                now, gone = stored.get(scope, (0, 0))
                after = sum(t.rows for t in mine) if scope is None else scopes.rows_after(mine, scope)
                change = ScopeChange(kind.key, kind.label, scope, scopes.label(scope), now, after, gone)
                out.changes.append(change)
                if change.loses_most:
                    out.cautions.append(
                        f"{kind.label}（{change.scope_label}）：現有 {now:,} 筆，匯入後 {gone:,} 筆會消失"
                        f"（超過一半），只剩這批檔案的 {after:,} 筆"
                    )
        out.cautions.extend(_habit_cautions(cur, user, out.changes))
    finally:
        cur.close()
    return out
