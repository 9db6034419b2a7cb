"""The write step of an import: one transaction that keeps the replaced rows for undo, replaces
each kind's scopes with the bundle's rows, logs one `imports` row per file and recomputes the
data-quality warnings (recompute_warnings, which undoing an import runs too). importer.py calls
it only once every check has passed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import duckdb
import pandas as pd

from dashboard import audit, db
from dashboard.ingest import scopes, undo
from dashboard.ingest.kinds import KINDS, Kind
from dashboard.ingest.validate import ParsedTable, compose_sql, table_columns
from dashboard.school_calendar import TAIPEI, school_now

Progress = Callable[[float, str], None]
WARNING_QUERIES = (
    "warnings_orphan_students",
    "warnings_orphan_teachers",
    "warnings_over_cap",
    "warnings_selected_not_passed",
)
_LOG_INSERT = """
insert into imports (
    batch_id, file_name, sheet_name, sha256, kind, scopes, row_count,
    imported_by, imported_at, exported_at, exported_at_source
)
values (
    $batch_id, $file_name, $sheet_name, $sha256, $kind, $scopes, $row_count,
    $imported_by, $imported_at, $exported_at, $exported_at_source
)
returning import_id
"""
_WARNING_COLUMNS = ", ".join(
    [
        "category",
        "kind",
        "school_year",
        "semester",
        "student_no",
        "staff_code",
        "record_key",
        "file_name",
        "source_row",
        "message",
    ]
)


def _export_time(table: ParsedTable, given: datetime | None) -> tuple[datetime | None, str]:
    if given is not None:
        if given.tzinfo is not None:
            given = given.astimezone(TAIPEI).replace(tzinfo=None)
        return given, "指定"
    if table.modified_at is not None:
        return table.modified_at, "檔案時間"
    return None, "未知"


def _write(
    con: duckdb.DuckDBPyConnection,
    tables: list[ParsedTable],
    batch_id: str,
    imported_by: str,
    exported_at: datetime | None,
    step: Progress,
) -> int:
    """One transaction: keep and replace each kind's scopes, log each file, let the oldest undo
    copies go, recompute the warnings."""
    now = school_now()
    done = replaced = 0
    with db.transaction(con) as cur:
        cur.execute(
            "insert into import_batches values ($batch_id, $by, $at, $rows_in, 0, true, null, null)",
            {"batch_id": batch_id, "by": imported_by, "at": now, "rows_in": sum(t.rows for t in tables)},
        )
        for kind in KINDS:
            mine = [t for t in tables if t.kind is kind]
            if not mine:
                continue
            replaced += undo.archive(
                cur, kind, sorted({s for t in mine for s in t.scopes}, key=scopes.order), batch_id
            )
            for t in mine:
                step(0.7 + 0.25 * done / len(tables), f"寫入{kind.label}（{t.file}）")
                done += 1
                stamp, source = _export_time(t, exported_at)
                row = db.first_row(
                    cur.execute(
                        _LOG_INSERT,
                        {
                            "batch_id": batch_id,
                            "file_name": t.file,
                            "sheet_name": t.sheet,
                            "sha256": t.sha256,
                            "kind": kind.key,
                            "scopes": scopes.to_json(kind, t.scopes),
                            "row_count": t.rows,
                            "imported_by": imported_by,
                            "imported_at": now,
                            "exported_at": stamp,
                            "exported_at_source": source,
                        },
                    )
                )
                frame = t.to_frame()
                frame["import_id"] = row[0] if row else None
                _insert_frame(cur, kind, frame)
        cur.execute(
            "update import_batches set rows_out = $n where batch_id = $batch_id",
            {"n": replaced, "batch_id": batch_id},
        )
        undo.prune(cur, batch_id)
        files = "、".join(f"{t.file}（{t.rows:,} 筆）" for t in tables)
        audit.record(
            cur, audit.IMPORTED, imported_by, detail=f"批次 {batch_id}：{files}；取代 {replaced:,} 筆", at=now
        )
        step(0.95, "重新計算資料品質提醒")
        return recompute_warnings(cur)


def _insert_frame(cur: duckdb.DuckDBPyConnection, kind: Kind, frame: pd.DataFrame) -> None:
    extra = ["scope_division"] if kind.division_from == "roster" else []
    columns = [*table_columns(kind), *extra, "source_row", "import_id"]
    cur.register("incoming_rows", frame)
    try:
        sql = "insert into {table} ({columns}) select {columns} from incoming_rows"
        cur.execute(compose_sql(sql, table=kind.table, columns=columns))
    finally:
        cur.unregister("incoming_rows")


def recompute_warnings(cur: duckdb.DuckDBPyConnection) -> int:
    """Replace every data_warnings row with what the live tables show now; run it inside the
    caller's transaction. Returns the number of warnings."""
    cur.execute("delete from data_warnings")
    for name in WARNING_QUERIES:
        # The query file is our own text and takes no parameters; it is wrapped, not formatted.
        cur.execute(
            "insert into data_warnings ("
            + _WARNING_COLUMNS
            + ") select "
            + _WARNING_COLUMNS
            + " from (\n"
            + db.load_query(name)
            + "\n)"
        )
    row = cur.execute("select count(*) from data_warnings").fetchone()
    return int(row[0]) if row else 0
