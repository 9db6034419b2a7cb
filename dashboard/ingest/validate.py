"""Validating a bundle completely before anything is written.

Recognises each sheet's kind by its header row, parses every cell with normalize.py, and
collects every problem (file, Excel row, column, value, reason in Traditional Chinese): bad
cells, empty required values, unknown kinds and duplicate keys across the bundle. 身分證號 is
hashed and masked here, as it is parsed, so no later step ever holds the clear value. This
module never touches the database (the importer checks what the bundle meets there).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from dashboard.ingest.kinds import KINDS, Column, Kind
from dashboard.ingest.normalize import Invalid, header_name, parse_distinct, parser_for
from dashboard.ingest.readers import Sheet, SourceFile
from dashboard.privacy import hash_id, mask_cell, mask_id

HEADER_SEARCH_ROWS = 10  # a title row or two may sit above the header
# (學年度, 學期 or None for per-year kinds, 部別): see dashboard/scopes.py, which fills them in.
Scope = tuple[int, int | None, str | None]
_DTYPES = {
    "int": "Int64",
    "semester": "Int64",
    "bool": "boolean",
    "date": "datetime64[s]",
    "ts": "datetime64[us]",
}


@dataclass
class Problem:
    """One thing wrong, for a clerk: `message` is a whole sentence in Traditional Chinese."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message: str


@dataclass
class ParsedTable:
    """One sheet of one kind, parsed: db column → values in row order (no clear 身分證號)."""

    file: str
    sheet: str | None
    sha256: str
    modified_at: datetime | None
    kind: Kind
    columns: dict[str, list[Any]]
    source_rows: list[int]
    scopes: list[Scope] = field(default_factory=list)  # filled by scopes.resolve
    row_divisions: list[str | None] | None = None  # kinds without 部別: each row's scope_division
    has_invalid: bool = False  # some cell failed: values may hold Invalid markers
    origin: int = 0  # index of its file among those validated together (names may repeat)

    @property
    def rows(self) -> int:
        return len(self.source_rows)

    def to_frame(self) -> pd.DataFrame:
        """The rows with their database types and `source_row`, ready for DuckDB or a preview."""
        data: dict[str, Any] = {}
        for name in table_columns(self.kind):
            values = self.columns[name]
            if self.has_invalid:
                values = [None if isinstance(v, Invalid) else v for v in values]
            data[name] = pd.Series(values, dtype=_DTYPES.get(column_type(self.kind, name), object))
        if self.kind.division_from == "roster":
            divisions = self.row_divisions or [None] * self.rows
            data["scope_division"] = pd.Series(divisions, dtype=object)
        data["source_row"] = pd.array(self.source_rows, dtype="Int64")
        return pd.DataFrame(data)


def table_columns(kind: Kind) -> list[str]:
    """The kind's database columns, 身分證號 standing for its hash and its mask."""
    out: list[str] = []
    for c in kind.columns:
        out.extend(("id_hash", "id_masked") if c.type == "id_number" else (c.name,))
    return out


def column_type(kind: Kind, name: str) -> str:
    return "text" if name in ("id_hash", "id_masked") else kind.column(name).type


_IDENTIFIER = re.compile(r"[a-z_]+")
_KNOWN_IDENTIFIERS = (
    {k.table for k in KINDS}
    | {k.table + "_undo" for k in KINDS}
    | {n for k in KINDS for n in table_columns(k)}
    | {"source_row", "import_id", "scope_division"}
)


def compose_sql(template: str, **identifiers: str | Sequence[str]) -> str:
    """SQL with table and column names filled in (a sequence becomes a comma-separated list).

    Only names from kinds.py, our own constant data, are accepted, never a value or user input:
    values are always bound as $params. This is the one place such names are composed.
    """
    filled: dict[str, str] = {}
    for slot, names in identifiers.items():
        parts = [names] if isinstance(names, str) else list(names)
        for name in parts:
            if not _IDENTIFIER.fullmatch(name) or name not in _KNOWN_IDENTIFIERS:
                raise ValueError(f"not a known identifier: {name!r}")
        filled[slot] = ", ".join(parts)
    return template.format(**filled)


def _has(column: Column, headers: set[str]) -> bool:
    return column.header in headers or any(a in headers for a in column.aliases)


def match_kinds(headers: Sequence[str]) -> list[Kind]:
    """Kinds whose required headers are all present. When several match, a kind whose required
    set another's strictly contains gives way to it, and then the kind that accounts for more
    of the file's columns wins: an outcomes export that also carries 部別 and 班級 matches
    開課資料's required set too, but only 課程學習成果 explains its 成果編號 and 認證狀態. A tie
    is left for the caller to report as ambiguous."""
    present = set(headers)
    matching = [k for k in KINDS if all(_has(c, present) for c in k.columns if c.required)]
    required = {k.key: set(k.required_headers) for k in matching}
    matching = [k for k in matching if not any(required[k.key] < required[o.key] for o in matching)]
    if len(matching) < 2:
        return matching
    explained = {k.key: sum(_has(c, present) for c in k.columns) for k in matching}
    best = max(explained.values())
    return [k for k in matching if explained[k.key] == best]


@dataclass
class Header:
    """Where a sheet's header row is, what it says, and the kinds it matches."""

    at: int  # index into sheet.rows
    names: list[str]
    kinds: list[Kind]
    non_empty: list[int]  # indexes of the sheet's non-empty rows


def non_empty_rows(rows: list[list[str]]) -> list[int]:
    return [i for i, row in enumerate(rows) if "".join(row).strip()]


def locate_header(sheet: Sheet, non_empty: list[int]) -> Header | None:
    """The first of the first few non-empty rows that matches a kind."""
    for i in non_empty[:HEADER_SEARCH_ROWS]:
        names = [header_name(c) for c in sheet.rows[i]]
        kinds = match_kinds(names)
        if kinds:
            return Header(i, names, kinds, non_empty)
    return None


def closest_kind(sheet: Sheet, non_empty: list[int]) -> tuple[Kind, list[str]]:
    """The kind the first rows come nearest to (most required headers present, then fewest
    missing), and the required headers it misses."""
    best: tuple[int, int, Kind, list[str]] = (-1, 0, KINDS[0], [])
    for i in non_empty[:HEADER_SEARCH_ROWS]:
        present = {header_name(c) for c in sheet.rows[i]}
        for k in KINDS:
            req = [c for c in k.columns if c.required]
            missing = [c.header for c in req if not _has(c, present)]
            if (len(req) - len(missing), -len(missing)) > best[:2]:
                best = (len(req) - len(missing), -len(missing), k, missing)
    return best[2], best[3]


def _column_index(column: Column, headers: list[str]) -> tuple[int | None, str]:
    """Where the column is: its canonical header first, then its aliases in order."""
    for name in (column.header, *column.aliases):
        if name in headers:
            return headers.index(name), name
    return None, column.header


def _check_cells(
    column: Column,
    header: str,
    raw: Sequence[str],
    values: list[Any],
    default: Any,
    source_rows: list[int],
    problem: Callable[[int | None, str | None, str | None, str], None],
    invalid_rows: set[int],
) -> None:
    """Report each bad or missing cell of a column; fill defaults in place."""
    for j, value in enumerate(values):
        n = source_rows[j]
        if isinstance(value, Invalid):
            # The problem report never shows a clear 身分證號, only its masked form.
            shown = mask_cell(raw[j]) if column.type == "id_number" else raw[j].strip()
            problem(n, header, shown, f"第 {n} 列「{header}」的值「{shown}」{value.reason}")
            invalid_rows.add(j)
        elif value is None:
            if default is not None:
                values[j] = default
            elif not column.allows_empty:
                problem(n, header, None, f"第 {n} 列「{header}」不可空白")
                invalid_rows.add(j)


def parse_sheet(
    file: SourceFile, sheet: Sheet, header: Header, secret: bytes
) -> tuple[ParsedTable, list[Problem]]:
    """Every cell of one recognised sheet (header.kinds holds its one kind); problems in order."""
    kind, names = header.kinds[0], header.names
    problems: list[Problem] = []

    def problem(row: int | None, column: str | None, value: str | None, message: str) -> None:
        problems.append(Problem(file.name, sheet.name, row, column, value, message))

    data = [sheet.rows[i] for i in header.non_empty if i > header.at]
    source_rows = [i + 1 for i in header.non_empty if i > header.at]
    if not data:
        problem(None, None, None, f"第 {header.at + 1} 列是標題列，但下面沒有任何資料列")
    width = len(names)
    if sheet.name is None:  # CSV: a cell past the last header means a stray comma shifted the row
        for row, n in zip(data, source_rows, strict=True):
            if len(row) > width and "".join(row[width:]).strip():
                problem(n, None, None, f"第 {n} 列有 {len(row)} 欄，比標題列多；可能有未加引號的逗號")
    # Columns at C speed: pad short rows, then transpose.
    cells = list(zip(*(r if len(r) >= width else r + [""] * (width - len(r)) for r in data), strict=False))
    columns: dict[str, list[Any]] = {}
    invalid_rows: set[int] = set()
    for column in kind.columns:
        index, shown_header = _column_index(column, names)
        if index is not None and names.count(shown_header) > 1:
            message = f"標題「{shown_header}」出現不只一次，無法判斷要用哪一欄"
            problem(header.at + 1, shown_header, None, message)
        raw: Sequence[str] = cells[index] if index is not None and cells else [""] * len(data)
        parse = parser_for(kind, column)
        parsed = parse_distinct(raw, parse)
        values = parsed.values
        default = parse(column.default) if column.default is not None else None
        if parsed.has_empty and default is not None and not parsed.has_invalid:
            values = [default if v is None else v for v in values]
        elif parsed.has_invalid or (parsed.has_empty and not column.allows_empty):
            _check_cells(column, shown_header, raw, values, default, source_rows, problem, invalid_rows)
        if column.type == "id_number":
            # Hashed and masked now: the clear number goes no further than this function.
            clear = {v for v in values if isinstance(v, str)}
            hashes = {v: hash_id(secret, v) for v in clear}
            masks = {v: mask_id(v) for v in clear}
            columns["id_hash"] = [hashes.get(v) if isinstance(v, str) else None for v in values]
            columns["id_masked"] = [masks.get(v) if isinstance(v, str) else None for v in values]
        else:
            columns[column.name] = values
    _derive(kind, columns)
    for j in _end_before_start(kind, columns):
        problem(source_rows[j], "結束日期", None, f"第 {source_rows[j]} 列的結束日期早於開始日期")
    table = ParsedTable(file.name, sheet.name, file.sha256, file.modified_at, kind, columns, source_rows)
    table.has_invalid = bool(invalid_rows)
    problems.sort(key=lambda p: p.row or 0)  # by row; within a row, in column order
    return table, problems


def _derive(kind: Kind, columns: dict[str, list[Any]]) -> None:
    """An empty 認證狀態 is 未送出 when 送出認證時間 is empty, else 認證中 (platform-export.md)."""
    if kind.key != "outcomes":
        return
    status, sent = columns["cert_status"], columns["submitted_at"]
    if None in status:
        derived = [
            ("未送出" if t is None else "認證中") if v is None else v
            for v, t in zip(status, sent, strict=True)
        ]
        columns["cert_status"] = derived


def _end_before_start(kind: Kind, columns: dict[str, list[Any]]) -> list[int]:
    if kind.key != "schedule":
        return []
    pairs = enumerate(zip(columns["start_date"], columns["end_date"], strict=True))
    return [j for j, (a, b) in pairs if isinstance(a, date) and isinstance(b, date) and b < a]


def check_duplicates(tables: Sequence[ParsedTable]) -> list[Problem]:
    """A key seen twice in the bundle (in one file or across files of the same kind)."""
    problems: list[Problem] = []
    for kind in KINDS:
        mine = [t for t in tables if t.kind is kind]
        keys = [list(zip(*(t.columns[c] for c in kind.key_columns), strict=True)) for t in mine]
        if sum(map(len, keys)) == len({k for ks in keys for k in ks}):
            continue  # the usual case, decided at C speed
        headers = "、".join(kind.column(c).header for c in kind.key_columns)
        seen: dict[tuple[Any, ...], tuple[ParsedTable, int]] = {}
        for t, ks in zip(mine, keys, strict=True):
            for j, key in enumerate(ks):
                if any(isinstance(v, Invalid) for v in key):
                    continue  # already reported as a bad cell
                first, at = seen.setdefault(key, (t, j))
                if first is t and at == j:
                    continue
                where = "" if first is t else f"「{first.file}」"
                shown = "、".join("（空白）" if v is None else str(v) for v in key)
                row = t.source_rows[j]
                message = f"第 {row} 列的{headers}「{shown}」與{where}第 {first.source_rows[at]} 列重複"
                problems.append(Problem(t.file, t.sheet, row, headers, shown, message))
    return problems


def recognise(file: SourceFile) -> tuple[list[tuple[Sheet, Header]], list[Problem]]:
    """The sheets of a file to import, each with its header of exactly one kind, or why none.

    Every sheet whose header matches a kind is taken; when none does, the first non-empty
    sheet is reported with the kind it comes closest to.
    """
    if file.errors:
        return [], [Problem(file.name, None, None, None, None, e) for e in file.errors]
    rows_of = [(s, non_empty_rows(s.rows)) for s in file.sheets]
    located = [(s, locate_header(s, non_empty)) for s, non_empty in rows_of]
    matched = [(s, h) for s, h in located if h is not None]
    if not matched:
        first = next(((s, n) for s, n in rows_of if n), None)
        if first is None:
            return [], [Problem(file.name, None, None, None, None, "檔案是空的，沒有任何資料")]
        kind, missing = closest_kind(*first)
        message = (
            f"無法辨識「{file.name}」是哪一種資料：標題列與任何種類都不相符"
            f"（最接近「{kind.label}」，缺少欄位：{'、'.join(missing)}）"
        )
        return [], [Problem(file.name, first[0].name, None, None, None, message)]
    out: list[tuple[Sheet, Header]] = []
    problems: list[Problem] = []
    for sheet, header in matched:
        if len(header.kinds) > 1:
            labels = "」與「".join(k.label for k in header.kinds)
            message = f"「{file.name}」第 {header.at + 1} 列的標題同時符合「{labels}」，無法判斷是哪一種資料"
            problems.append(Problem(file.name, sheet.name, header.at + 1, None, None, message))
        else:
            out.append((sheet, header))
    return out, problems


def validate_sources(
    files: Sequence[SourceFile],
    secret: bytes,
    step: Callable[[float, str], None] = lambda _f, _m: None,
) -> tuple[list[ParsedTable], list[Problem]]:
    """Every table the files hold, and every problem found in them (empty when all is well)."""
    tables: list[ParsedTable] = []
    problems: list[Problem] = []
    for n, file in enumerate(files):
        step(n / max(len(files), 1), f"檢查 {file.name}")
        found, trouble = recognise(file)
        problems.extend(trouble)
        for sheet, header in found:
            table, trouble = parse_sheet(file, sheet, header, secret)
            table.origin = n
            tables.append(table)
            problems.extend(trouble)
    problems.extend(check_duplicates(tables))
    return tables, problems
