"""Importing a platform export bundle: the API the command line and the upload page call.

All or nothing (spec/platform-export.md, "Import semantics"): the whole bundle is read and
validated first (validate.py, plus db_checks.py for the checks that need the database: ids
stored under other scopes, files identical to the last import of their scopes); any problem and
nothing is written, not even a provenance row. Otherwise one transaction (writer.py) replaces,
per kind, exactly the scopes present in its files, logs one `imports` row per file and
recomputes the data-quality warnings; identical files are skipped and reported as unchanged.
This module never imports streamlit and never sees a clear 身分證號 (validate.py hashes it while
parsing).
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from dashboard import audit, db, privacy
from dashboard.ingest import preview, readers, scopes, undo
from dashboard.ingest.db_checks import _unchanged, check_existing_ids
from dashboard.ingest.readers import SourceFile
from dashboard.ingest.validate import ParsedTable, Problem, Scope, validate_sources
from dashboard.ingest.writer import Progress, _write, recompute_warnings
from dashboard.school_calendar import TAIPEI, school_now, school_year_of

Confirmation = bool | str  # True: confirm whatever the plan says (CLI --yes); str: a plan's fingerprint


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
    year = school_year_of(today)
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
    now = school_now()
    with db.transaction(con) as cur:
        removed, restored = undo.restore(cur, batch_id, undone_by, now)
        audit.record(
            cur,
            audit.IMPORT_UNDONE,
            undone_by,
            detail=f"批次 {batch_id}：移除 {removed:,} 筆，復原 {restored:,} 筆",
            at=now,
        )
        warnings = recompute_warnings(cur)
    return UndoReport(batch_id, removed, restored, warnings)
