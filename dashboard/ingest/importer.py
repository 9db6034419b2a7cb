"""Importing a platform export bundle: the API the command line and the upload page call.

All or nothing (spec/platform-export.md, "Import semantics"): the whole bundle is read and
validated first (validate.py, plus here the checks that need the database: ids stored under
other scopes, files identical to the last import of their scopes); any problem and nothing is
written, not even a provenance row. Otherwise one transaction replaces, per kind, exactly the
scopes present in its files, logs one `imports` row per file and recomputes the data-quality
warnings; identical files are skipped and reported as unchanged. This module never imports
streamlit and never sees a clear 身分證號 (validate.py hashes it while parsing).
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dashboard import db, privacy
from dashboard.ingest import preview, readers, scopes, undo
from dashboard.ingest.kinds import KINDS, Kind
from dashboard.ingest.readers import TAIPEI, SourceFile
from dashboard.ingest.validate import (
    ParsedTable,
    Problem,
    Scope,
    compose_sql,
    table_columns,
    validate_sources,
)

Progress = Callable[[float, str], None]
Confirmation = bool | str  # True: confirm whatever the plan says (CLI --yes); str: a plan's fingerprint
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


@dataclass
class FileReport:
    file: str
    sheet: str | None
    kind: str | None  # kinds key
    kind_label: str | None
    rows: int
    scopes: list[Scope]
    skipped_identical: bool
    sha256: str


@dataclass
class ImportReport:
    ok: bool
    problems: list[Problem]
    files: list[FileReport]
    warnings_count: int
    batch_id: str
    changed: bool
    changes: list[preview.ScopeChange] = field(default_factory=list)  # per kind and scope
    cautions: list[str] = field(default_factory=list)  # each needs the clerk's confirmation
    fingerprint: str = ""  # names the plan the cautions belong to
    needs_confirmation: bool = False  # refused because the cautions were not confirmed

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (scopes become lists)."""
        out: dict[str, Any] = json.loads(json.dumps(asdict(self), ensure_ascii=False))
        return out


def import_paths(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    *,
    imported_by: str,
    exported_at: datetime | None = None,
    progress: Progress | None = None,
    confirm: Confirmation = False,
) -> ImportReport:
    """Import folders, .zip bundles and single files; export time defaults to the file time.

    When the plan has cautions (preview.py), nothing is written unless `confirm` is True or the
    fingerprint of that very plan."""
    step = progress or _quiet
    step(0.0, "讀取檔案")
    return _import(con, readers.read_paths(paths, read_limits(con)), imported_by, exported_at, step, confirm)


def import_files(
    con: duckdb.DuckDBPyConnection,
    files: Sequence[tuple[str, bytes]],
    *,
    imported_by: str,
    exported_at: datetime | None = None,
    progress: Progress | None = None,
    confirm: Confirmation = False,
) -> ImportReport:
    """Import uploaded files (name, content); a name ending .zip is a bundle."""
    step = progress or _quiet
    step(0.0, "讀取檔案")
    return _import(
        con, readers.read_uploads(files, read_limits(con)), imported_by, exported_at, step, confirm
    )


def validate_files(
    con: duckdb.DuckDBPyConnection,
    files: Sequence[tuple[str, bytes]],
    *,
    imported_by: str | None = None,
    progress: Progress | None = None,
) -> tuple[list[ParsedTable], ImportReport]:
    """Validation only, for a preview before the user confirms: nothing is written.

    `report.changed` says whether importing these files would change anything; `report.changes`
    and `report.cautions` what it would replace and what needs a confirmation.
    """
    step = progress or _quiet
    step(0.0, "讀取檔案")
    tables, report, _ = _check(con, readers.read_uploads(files, read_limits(con)), step, imported_by)
    step(1.0, "檢查完成")
    return tables, report


def validate_paths(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    *,
    imported_by: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validation only, for the command line's check before it asks y/N."""
    step = progress or _quiet
    step(0.0, "讀取檔案")
    _, report, _ = _check(con, readers.read_paths(paths, read_limits(con)), step, imported_by)
    return report


def _quiet(_fraction: float, _message: str) -> None:
    return None


def read_limits(con: duckdb.DuckDBPyConnection) -> readers.ReadLimits:
    """The size limits in force this 學年度: the rules import_max_file_mb and import_max_bundle_mb
    (MB of 1,048,576 bytes); a rule missing or not above zero keeps the built-in default."""
    today = datetime.now(TAIPEI).date()
    year = today.year - 1911 if today.month >= 8 else today.year - 1912  # 學年度 starts 8/1
    default = readers.ReadLimits()

    def limit(key: str, fallback: int) -> int:
        value = db.rule_value(con, key, year)
        return int(value * readers.MIB) if value is not None and value > 0 else fallback

    return dataclasses.replace(
        default,
        max_file_bytes=limit("import_max_file_mb", default.max_file_bytes),
        max_bundle_bytes=limit("import_max_bundle_mb", default.max_bundle_bytes),
    )


def _check(
    con: duckdb.DuckDBPyConnection, sources: list[SourceFile], step: Progress, user: str | None = None
) -> tuple[list[ParsedTable], ImportReport, set[int]]:
    step(0.1, f"已讀取 {len(sources)} 個檔案")
    secret = privacy.secret_for(con)
    tables, problems = validate_sources(sources, secret, lambda f, m: step(0.1 + 0.5 * f, m))
    cur = con.cursor()
    try:
        scopes.resolve(cur, tables)
        problems.extend(check_existing_ids(cur, tables))
    finally:
        cur.close()
    skipped = set() if problems else _unchanged(con, tables)
    files: list[FileReport] = []
    for n, src in enumerate(sources):
        mine = [(i, t) for i, t in enumerate(tables) if t.origin == n]
        files.extend(
            FileReport(t.file, t.sheet, t.kind.key, t.kind.label, t.rows, t.scopes, i in skipped, t.sha256)
            for i, t in mine
        )
        if not mine:
            files.append(FileReport(src.name, None, None, None, 0, [], False, src.sha256))
    changed = not problems and len(skipped) < len(tables)
    report = ImportReport(not problems, problems, files, _warnings_count(con), uuid.uuid4().hex, changed)
    if changed:
        step(0.65, "比對資料庫現有資料")
        plan = preview.plan(con, [t for i, t in enumerate(tables) if i not in skipped], user)
        report.changes, report.cautions, report.fingerprint = plan.changes, plan.cautions, plan.fingerprint
    return tables, report, skipped


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


def _import(
    con: duckdb.DuckDBPyConnection,
    sources: list[SourceFile],
    imported_by: str,
    exported_at: datetime | None,
    step: Progress,
    confirm: Confirmation = False,
) -> ImportReport:
    tables, report, skipped = _check(con, sources, step, imported_by)
    if (
        report.ok
        and report.changed
        and report.cautions
        and confirm is not True
        and confirm != report.fingerprint
    ):
        report.ok = report.changed = False
        report.needs_confirmation = True
        message = "這次匯入需要確認才會寫入，資料庫沒有任何變更：" + "；".join(report.cautions)
        report.problems.append(Problem("", None, None, None, None, message))
    if report.ok and report.changed:
        todo = [t for i, t in enumerate(tables) if i not in skipped]
        try:
            report.warnings_count = _write(con, todo, report.batch_id, imported_by, exported_at, step)
        except duckdb.Error as exc:  # e.g. another import changed the data meanwhile
            message = f"寫入資料庫時發生錯誤，所有變更已復原，請再匯入一次（{type(exc).__name__}）"
            report.problems.append(Problem("", None, None, None, None, message))
            report.ok = report.changed = False
    step(1.0, "完成" if report.ok else "匯入未完成，資料庫沒有任何變更")
    return report


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
    now = datetime.now(TAIPEI).replace(tzinfo=None)
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


def _warnings_count(con: duckdb.DuckDBPyConnection) -> int:
    cur = con.cursor()
    try:
        row = cur.execute("select count(*) from data_warnings").fetchone()
    finally:
        cur.close()
    return int(row[0]) if row else 0


@dataclass
class UndoReport:
    batch_id: str
    removed_rows: int  # the batch's rows taken out
    restored_rows: int  # the rows it had replaced, back
    warnings_count: int


def undo_import(con: duckdb.DuckDBPyConnection, batch_id: str, *, undone_by: str) -> UndoReport:
    """Undo one import batch in one transaction (undo.UndoError says why it cannot be)."""
    now = datetime.now(TAIPEI).replace(tzinfo=None)
    with db.transaction(con) as cur:
        removed, restored = undo.restore(cur, batch_id, undone_by, now)
        warnings = recompute_warnings(cur)
    return UndoReport(batch_id, removed, restored, warnings)
