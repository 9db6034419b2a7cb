"""Keeping what an import replaced, so that the import can be undone.

Before an import deletes a scope's rows it copies them to `<table>_undo` under its batch id
(`archive`); undoing the batch deletes the rows it brought and puts those back, in the caller's
transaction (`restore`; importer.undo_import wraps it with the warnings' recomputation). Only
the latest import of each of its scopes can be undone, and only while nobody changed those
scopes since (a form edit of 作業期程 or 研習場次, another import). The history is bounded: per
scope, the last `import_undo_keep_per_scope` imports (a rule, default 5) keep their rows; an
older batch lets its rows go (`prune`) and says so. DuckDB stores these copies column-wise and
compressed. Must not import streamlit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from dashboard import db
from dashboard.formatting import roc_datetime
from dashboard.ingest import scopes
from dashboard.ingest.kinds import KINDS, KINDS_BY_KEY, Kind
from dashboard.ingest.validate import Scope, compose_sql

DEFAULT_KEEP = 5


class UndoError(Exception):
    """Why a batch cannot be undone, in Chinese for the clerk."""


@dataclass(frozen=True)
class LoggedFile:
    import_id: int
    batch_id: str
    kind: Kind
    file_name: str
    sheet_name: str | None
    scopes: list[Scope] | None  # None: the whole table
    row_count: int


@dataclass
class HistoryEntry:
    batch_id: str
    imported_by: str
    imported_at: datetime
    rows_in: int
    rows_out: int | None
    undo_kept: bool
    undone_at: datetime | None
    undone_by: str | None
    files: list[LoggedFile] = field(default_factory=list)
    blocker: str | None = None  # why it cannot be undone; None = it can

    @property
    def can_undo(self) -> bool:
        return self.blocker is None

    @property
    def scope_text(self) -> str:
        """「學生名冊 114-2 進修部；課程學習成果 114-2 進修部」."""
        parts: dict[str, list[str]] = defaultdict(list)
        for f in self.files:
            labels = ["全部"] if f.scopes is None else [scopes.label(s) for s in f.scopes]
            for text in labels:
                if text not in parts[f.kind.label]:
                    parts[f.kind.label].append(text)
        return "；".join(f"{k} {'、'.join(v)}" for k, v in parts.items())


def keep_per_scope(cur: duckdb.DuckDBPyConnection) -> int:
    row = db.first_row(
        cur.execute(
            "select value from rules where key = 'import_undo_keep_per_scope'"
            " order by effective_from_year desc"
        )
    )
    return max(int(row[0]), 1) if row else DEFAULT_KEEP


def archive(cur: duckdb.DuckDBPyConnection, kind: Kind, wanted: list[Scope], batch_id: str) -> int:
    """Copy the kind's stored rows of these scopes to its undo table, then delete them."""
    undo_table = kind.table + "_undo"
    copy = "insert into {undo} by name select $batch_id as undo_batch_id, * from {table} where "
    with scopes.registered(cur, wanted):
        where = scopes.in_scopes(kind)
        row = db.first_row(
            cur.execute(compose_sql(copy + where, undo=undo_table, table=kind.table), {"batch_id": batch_id})
        )
        cur.execute(compose_sql("delete from {table} where " + where, table=kind.table))
    return int(row[0]) if row else 0


def _log(cur: duckdb.DuckDBPyConnection) -> list[LoggedFile]:
    rows = cur.execute(
        "select import_id, batch_id, kind, file_name, sheet_name, scopes, row_count"
        " from imports order by import_id desc"
    ).fetchall()
    return [
        LoggedFile(int(i), str(b), KINDS_BY_KEY[str(k)], str(f), s, scopes.from_json(str(sc)), int(n))
        for i, b, k, f, s, sc, n in rows
    ]


def _touches(a: LoggedFile, b: LoggedFile) -> bool:
    if a.kind is not b.kind:
        return False
    return a.scopes is None or b.scopes is None or scopes.any_overlap(a.kind, a.scopes, b.scopes)


def prune(cur: duckdb.DuckDBPyConnection, batch_id: str) -> list[str]:
    """Let go of the kept rows of batches that fell out of the last N imports of a scope the new
    batch touched. Returns the batches pruned."""
    keep = keep_per_scope(cur)
    live = {
        str(r[0])
        for r in cur.execute(
            "select batch_id from import_batches where undone_at is null and undo_kept"
        ).fetchall()
    }
    log = [f for f in _log(cur) if f.batch_id in live]
    mine = [f for f in log if f.batch_id == batch_id]
    drop: set[str] = set()
    for new in mine:
        order: list[str] = []
        for f in log:  # newest first
            if _touches(new, f) and f.batch_id not in order:
                order.append(f.batch_id)
        drop.update(order[keep:])
    for old in sorted(drop):
        for kind in KINDS:
            cur.execute(
                compose_sql("delete from {undo} where undo_batch_id = $batch_id", undo=kind.table + "_undo"),
                {"batch_id": old},
            )
        cur.execute("update import_batches set undo_kept = false where batch_id = $b", {"b": old})
    return sorted(drop)


def _blocker(
    cur: duckdb.DuckDBPyConnection, entry: HistoryEntry, log: list[LoggedFile], keep: int
) -> str | None:
    if entry.undone_at is not None:
        return f"已於 {roc_datetime(entry.undone_at)} 由 {entry.undone_by} 復原"
    if entry.rows_out is None:
        return "這次匯入早於復原功能，沒有保留被取代的資料"
    if not entry.undo_kept:
        return f"每個範圍只保留最近 {keep} 次匯入的復原資料，這次已超過"
    ids = [f.import_id for f in entry.files]
    for f in entry.files:
        later = next((g for g in log if g.import_id > max(ids) and _touches(f, g)), None)
        if later is not None:
            return (
                f"之後的匯入（{later.file_name}）又取代了{f.kind.label}的同一範圍；"
                "只能復原每個範圍最近的一次匯入，請先復原較新的那次"
            )
    for kind in [k for k in KINDS if any(f.kind is k for f in entry.files)]:
        wanted = _scopes_of(entry, kind)
        sql = (
            "select count(*) from {table}"
            " where (import_id is null or not list_contains($ids, import_id)) and "
        )
        if wanted is None:
            row = db.first_row(cur.execute(compose_sql(sql + "true", table=kind.table), {"ids": ids}))
        else:
            with scopes.registered(cur, wanted):
                where = scopes.in_scopes(kind)
                row = db.first_row(cur.execute(compose_sql(sql + where, table=kind.table), {"ids": ids}))
        if row and row[0]:
            return f"匯入後{kind.label}已有 {int(row[0]):,} 筆由表單或其他方式變更，復原會蓋掉這些變更"
    return None


def _scopes_of(entry: HistoryEntry, kind: Kind) -> list[Scope] | None:
    mine = [f for f in entry.files if f.kind is kind]
    if any(f.scopes is None for f in mine):
        return None
    return sorted({s for f in mine for s in f.scopes or []}, key=scopes.order)


def history(con: duckdb.DuckDBPyConnection, limit: int = 30) -> list[HistoryEntry]:
    """The newest batches first, each with its files and whether it can be undone now."""
    cur = con.cursor()
    try:
        return _history(cur, limit)
    finally:
        cur.close()


def _history(
    cur: duckdb.DuckDBPyConnection, limit: int | None, batch_id: str | None = None
) -> list[HistoryEntry]:
    rows = cur.execute(
        "select batch_id, imported_by, imported_at, rows_in, rows_out, undo_kept, undone_at, undone_by"
        " from import_batches where $batch_id is null or batch_id = $batch_id"
        " order by imported_at desc, batch_id desc limit $limit",
        {"batch_id": batch_id, "limit": limit if limit is not None else 1_000_000},
    ).fetchall()
    entries = [
        HistoryEntry(str(r[0]), str(r[1]), r[2], int(r[3] or 0), r[4], bool(r[5]), r[6], r[7]) for r in rows
    ]
    log = _log(cur)
    undone = {
        str(r[0])
        for r in cur.execute("select batch_id from import_batches where undone_at is not null").fetchall()
    }
    live_log = [f for f in log if f.batch_id not in undone]
    by_batch: dict[str, list[LoggedFile]] = defaultdict(list)
    for f in log:
        by_batch[f.batch_id].append(f)
    keep = keep_per_scope(cur)
    for e in entries:
        e.files = sorted(by_batch.get(e.batch_id, []), key=lambda f: f.import_id)
        e.blocker = _blocker(cur, e, live_log, keep)
    return entries


def restore(cur: duckdb.DuckDBPyConnection, batch_id: str, by: str, now: datetime) -> tuple[int, int]:
    """Inside the caller's transaction: take the batch's rows out, put back what it replaced.
    Returns (rows removed, rows restored); raises UndoError when it cannot be undone."""
    found = _history(cur, None, batch_id)
    if not found:
        raise UndoError(f"找不到匯入批次「{batch_id}」；請從匯入紀錄中選擇")
    entry = found[0]
    if entry.blocker is not None:
        raise UndoError(f"無法復原這次匯入：{entry.blocker}")
    removed = restored = 0
    for kind in KINDS:
        wanted = _scopes_of(entry, kind) if any(f.kind is kind for f in entry.files) else []
        if wanted == []:
            continue
        undo_table = kind.table + "_undo"
        if wanted is None:
            row = db.first_row(cur.execute(compose_sql("delete from {table}", table=kind.table)))
        else:
            with scopes.registered(cur, wanted):
                sql = "delete from {table} where " + scopes.in_scopes(kind)
                row = db.first_row(cur.execute(compose_sql(sql, table=kind.table)))
        removed += int(row[0]) if row else 0
        back = db.first_row(
            cur.execute(
                compose_sql(
                    "insert into {table} by name select * exclude (undo_batch_id) from {undo}"
                    " where undo_batch_id = $batch_id",
                    table=kind.table,
                    undo=undo_table,
                ),
                {"batch_id": batch_id},
            )
        )
        restored += int(back[0]) if back else 0
        cur.execute(
            compose_sql("delete from {undo} where undo_batch_id = $batch_id", undo=undo_table),
            {"batch_id": batch_id},
        )
    cur.execute(
        "update import_batches set undone_at = $at, undone_by = $by where batch_id = $b",
        {"at": now, "by": by, "b": batch_id},
    )
    return removed, restored


def kept_rows(con: duckdb.DuckDBPyConnection) -> int:
    """Rows kept for undo, over every kind (for the page's note on the history's size)."""
    return sum(db.row_count(con, kind.table + "_undo") for kind in KINDS)
