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

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dashboard import db, privacy, readers
from dashboard.kinds import KINDS, Kind
from dashboard.readers import TAIPEI, SourceFile
from dashboard.validate import ParsedTable, Problem, Scope, compose_sql, table_columns, validate_sources

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
) -> ImportReport:
    """Import folders, .zip bundles and single files; export time defaults to the file time."""
    step = progress or _quiet
    step(0.0, "讀取檔案")
    return _import(con, readers.read_paths(paths), imported_by, exported_at, step)


def import_files(
    con: duckdb.DuckDBPyConnection,
    files: Sequence[tuple[str, bytes]],
    *,
    imported_by: str,
    exported_at: datetime | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import uploaded files (name, content); a name ending .zip is a bundle."""
    step = progress or _quiet
    step(0.0, "讀取檔案")
    return _import(con, readers.read_uploads(files), imported_by, exported_at, step)


def validate_files(
    con: duckdb.DuckDBPyConnection,
    files: Sequence[tuple[str, bytes]],
    *,
    progress: Progress | None = None,
) -> tuple[list[ParsedTable], ImportReport]:
    """Validation only, for a preview before the user confirms: nothing is written.

    `report.changed` says whether importing these files would change anything.
    """
    step = progress or _quiet
    step(0.0, "讀取檔案")
    tables, report, _ = _check(con, readers.read_uploads(files), step)
    step(1.0, "檢查完成")
    return tables, report


def _quiet(_fraction: float, _message: str) -> None:
    return None


def _check(
    con: duckdb.DuckDBPyConnection, sources: list[SourceFile], step: Progress
) -> tuple[list[ParsedTable], ImportReport, set[int]]:
    step(0.1, f"已讀取 {len(sources)} 個檔案")
    secret = privacy.secret_for(con)
    tables, problems = validate_sources(sources, secret, lambda f, m: step(0.1 + 0.5 * f, m))
    cur = con.cursor()
    try:
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
    return tables, report, skipped


_EXISTING_IDS = """
select e.{key}, e.school_year, e.semester
from {table} as e
where e.{key} in (select k from incoming_keys)
  and not exists (
      select 1 from incoming_scopes as s where s.y = e.school_year and s.s is not distinct from e.semester
  )
order by all
"""


def check_existing_ids(cur: duckdb.DuckDBPyConnection, tables: Sequence[ParsedTable]) -> list[Problem]:
    """A platform id (成果編號, 表現編號) already stored under a scope this bundle does not replace:
    the table's key spans every scope, so the insert could not hold both."""
    problems: list[Problem] = []
    for kind in KINDS:
        mine = [t for t in tables if t.kind is kind]
        if not mine or kind.scope != "year_semester" or "school_year" in kind.key_columns:
            continue
        (key,) = kind.key_columns
        keys = [v for t in mine for v in t.columns[key] if isinstance(v, str)]
        scopes = sorted({s for t in mine for s in t.scopes}, key=lambda p: (p[0], p[1] or 0))
        cur.register("incoming_keys", pd.DataFrame({"k": pd.Series(keys, dtype=object)}))
        years, terms = [s[0] for s in scopes], [s[1] for s in scopes]
        frame = pd.DataFrame({"y": pd.array(years, dtype="Int64"), "s": pd.array(terms, dtype="Int64")})
        cur.register("incoming_scopes", frame)
        try:
            found = cur.execute(compose_sql(_EXISTING_IDS, key=key, table=kind.table)).fetchall()
        finally:
            cur.unregister("incoming_keys")
            cur.unregister("incoming_scopes")
        clashing = {row[0]: row[1:] for row in found}
        header = kind.column(key).header
        for t in mine:
            for j, value in enumerate(t.columns[key]):
                if value not in clashing:
                    continue
                year, semester = clashing[value]
                term = f"{year} 學年度" + ("" if semester is None else f"第 {semester} 學期")
                row = t.source_rows[j]
                message = (
                    f"第 {row} 列的{header}「{value}」已存在於資料庫中 {term}的資料，"
                    "而這批檔案不含該學期，不會取代它；同一編號不能屬於兩個學期"
                )
                problems.append(Problem(t.file, t.sheet, row, header, value, message))
    return problems


def _import(
    con: duckdb.DuckDBPyConnection,
    sources: list[SourceFile],
    imported_by: str,
    exported_at: datetime | None,
    step: Progress,
) -> ImportReport:
    tables, report, skipped = _check(con, sources, step)
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


def _scopes_json(table: ParsedTable) -> str:
    return json.dumps("all" if table.kind.scope == "all" else [list(s) for s in table.scopes])


def _overlaps(kind: Kind, a: set[Scope], b: set[Scope]) -> bool:
    return kind.scope == "all" or bool(a & b)


def _unchanged(con: duckdb.DuckDBPyConnection, tables: list[ParsedTable]) -> set[int]:
    """Indexes of tables identical to what the latest import of their scopes brought.

    The latest batch that touched any of a table's scopes must hold the same file (same
    sha256, sheet and scopes). A changed table of the same kind re-imports every table sharing
    a scope with it, since replacing the scope would otherwise drop their rows.
    """
    cur = con.cursor()
    try:
        log = cur.execute(
            "select batch_id, kind, sheet_name, sha256, scopes from imports order by import_id desc"
        ).fetchall()
    finally:
        cur.close()

    def scope_set(raw: str) -> set[Scope]:
        value = json.loads(raw)
        return set() if value == "all" else {(p[0], p[1]) for p in value}

    same: set[int] = set()
    for i, t in enumerate(tables):
        mine = set(t.scopes)
        latest = next(
            (r for r in log if r[1] == t.kind.key and _overlaps(t.kind, mine, scope_set(r[4]))), None
        )
        if latest is not None and any(
            r[0] == latest[0]
            and r[1] == t.kind.key
            and r[2] == t.sheet
            and r[3] == t.sha256
            and r[4] == _scopes_json(t)
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
            and _overlaps(other.kind, set(other.scopes), set(tables[i].scopes))
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
    """One transaction: replace each kind's scopes, log each file, recompute the warnings."""
    now = datetime.now(TAIPEI).replace(tzinfo=None)
    done = 0
    with db.transaction(con) as cur:
        for kind in KINDS:
            mine = [t for t in tables if t.kind is kind]
            if not mine:
                continue
            _delete_scopes(cur, kind, sorted({s for t in mine for s in t.scopes}, key=_scope_order))
            for t in mine:
                step(0.6 + 0.35 * done / len(tables), f"寫入{kind.label}（{t.file}）")
                done += 1
                stamp, source = _export_time(t, exported_at)
                row = cur.execute(
                    _LOG_INSERT,
                    {
                        "batch_id": batch_id,
                        "file_name": t.file,
                        "sheet_name": t.sheet,
                        "sha256": t.sha256,
                        "kind": kind.key,
                        "scopes": _scopes_json(t),
                        "row_count": t.rows,
                        "imported_by": imported_by,
                        "imported_at": now,
                        "exported_at": stamp,
                        "exported_at_source": source,
                    },
                ).fetchone()
                frame = t.to_frame()
                frame["import_id"] = row[0] if row else None
                _insert_frame(cur, kind, frame)
        step(0.95, "重新計算資料品質提醒")
        return recompute_warnings(cur)


def _scope_order(scope: Scope) -> tuple[int, int]:
    return scope[0], -1 if scope[1] is None else scope[1]


def _delete_scopes(cur: duckdb.DuckDBPyConnection, kind: Kind, scopes: list[Scope]) -> None:
    if kind.scope == "all":
        cur.execute(compose_sql("delete from {table}", table=kind.table))
        return
    if kind.scope == "year":
        sql = "delete from {table} where school_year = $year"
        for year in sorted({s[0] for s in scopes}):
            cur.execute(compose_sql(sql, table=kind.table), {"year": year})
        return
    sql = "delete from {table} where school_year = $year and semester is not distinct from $semester"
    for year, semester in scopes:
        cur.execute(compose_sql(sql, table=kind.table), {"year": year, "semester": semester})


def _insert_frame(cur: duckdb.DuckDBPyConnection, kind: Kind, frame: pd.DataFrame) -> None:
    columns = [*table_columns(kind), "source_row", "import_id"]
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
