"""Cell normalisation and parsing for imported files: one string in, one typed value out.

What the platform exports look like (spec/platform-export.md): surrounding spaces, full-width
digits, aliases for enum values, dates in Gregorian and ROC forms, Windows 上午/下午 timestamps.
This module turns one cleaned cell into the canonical value its column holds, or raises
`CellError` with the reason in Traditional Chinese. A value in none of the accepted forms is an
error, never NULL. It knows nothing of files, rows or the database, and it never applies NFKC
(that would change the CJK compatibility ideographs in people's names).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from dashboard.ingest.kinds import AUDIENCES, ENUMS, FALSE_VALUES, SEMESTER_ALIASES, TRUE_VALUES, Column, Kind

# U+FF01..U+FF5E are the full-width forms of ASCII 0x21..0x7E; U+3000 is the ideographic space.
_HALF_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

# One pattern for every accepted date and date-time form (platform-export.md "Dates"):
# 2024-11-20, 2024/1/5, ROC 113/11/20 and 113.11.20, 7-digit 1131120; then optionally a time,
# with the Windows 上午/下午 (or AM/PM) before it: '2024/11/20 下午 03:15:00'.
_DATE_TIME = re.compile(
    r"(?:(\d{2,4})([-/.])(\d{1,2})\2(\d{1,2})|(\d{3})(\d{2})(\d{2}))"
    r"(?:(?:\s*T\s*|\s+|(?=[上下]午))(上午|下午|(?i:AM|PM))?\s*"
    r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
)
_AFTERNOON = {"上午": False, "AM": False, "下午": True, "PM": True}
_INT = re.compile(r"[+-]?\d+")
_ID_NUMBER = re.compile(r"[A-Z][A-Z0-9]\d{8}")
_AUDIENCE_SPLIT = re.compile(r"[、,，/;；\s]+")

# 學年度 is an ROC year; 2024 typed instead of 113 is a common slip worth stopping.
_YEAR_COLUMNS = ("school_year", "graduation_year")
MAX_ROC_YEAR = 200


class CellError(ValueError):
    """A cell whose text is in none of the forms its column accepts; str() is the reason."""


@dataclass(frozen=True)
class Invalid:
    """The parse result of a cell that failed: the reason, shown after the value."""

    reason: str


def to_half_width(text: str) -> str:
    return text.translate(_HALF_WIDTH)


def clean(raw: str | None) -> str | None:
    """Trim, full-width ASCII and U+3000 to half-width, empty to None."""
    if raw is None:
        return None
    text = (raw if raw.isascii() else to_half_width(raw)).strip()
    return text or None


def header_name(raw: str) -> str:
    """A header cell as matched against kinds: cleaned, with a trailing 'required' star dropped."""
    return (clean(raw) or "").rstrip("*").strip()


def parse_int(text: str) -> int:
    if not _INT.fullmatch(text):
        raise CellError("不是整數")
    return int(text)


def parse_year(text: str) -> int:
    value = parse_int(text)
    if not 1 <= value <= MAX_ROC_YEAR:
        raise CellError("不是民國學年度（例如 113）")
    return value


def semester_parser(allowed: Sequence[int]) -> Callable[[str], int]:
    names = "、".join(str(v) for v in allowed)

    def parse(text: str) -> int:
        value = SEMESTER_ALIASES.get(text)
        if value is None and _INT.fullmatch(text):
            value = int(text)
        if value is None or value not in allowed:
            raise CellError(f"不是有效的學期（可用：{names}、上、下）")
        return value

    return parse


def _fold(text: str) -> str:
    return text.casefold()


def enum_parser(enum_key: str) -> Callable[[str], str]:
    """Canonical values and aliases of one enum, matched case-insensitively for Latin letters."""
    lookup: dict[str, str] = {}
    for canonical, aliases in ENUMS[enum_key].items():
        lookup[_fold(canonical)] = canonical
        for alias in aliases:
            lookup.setdefault(_fold(alias), canonical)
    allowed = "、".join(ENUMS[enum_key])

    def parse(text: str) -> str:
        value = lookup.get(_fold(text))
        if value is None:
            raise CellError(f"不是可接受的值（可用：{allowed}）")
        return value

    return parse


_BOOLS = {_fold(v): True for v in TRUE_VALUES} | {_fold(v): False for v in FALSE_VALUES}


def parse_bool(text: str) -> bool:
    value = _BOOLS.get(_fold(text))
    if value is None:
        raise CellError("不是是／否的值（可用：Y、N、是、否、1、0）")
    return value


def _date_time(text: str) -> tuple[datetime, bool] | None:
    """(value, has_time) for a text in an accepted form with a real calendar date and time."""
    m = _DATE_TIME.fullmatch(text)
    if m is None:
        return None
    if m[1] is not None:
        year = int(m[1]) + (0 if len(m[1]) == 4 else 1911)
        month, day = int(m[3]), int(m[4])
    else:
        year, month, day = int(m[5]) + 1911, int(m[6]), int(m[7])
    if m[9] is None:
        hour = minute = second = micro = 0
    else:
        hour, minute, second = int(m[9]), int(m[10]), int(m[11] or 0)
        micro = int((m[12] or "0").ljust(6, "0"))
        if m[8] is not None:
            if hour > 12:
                return None
            # 上午 12 is just after midnight, 下午 12 is noon.
            hour = hour % 12 + (12 if _AFTERNOON[m[8].upper()] else 0)
    try:
        return datetime(year, month, day, hour, minute, second, micro), m[9] is not None
    except ValueError:  # 113/02/30, 25:00 and the like
        return None


def _iso_shape(text: str) -> bool:
    """'YYYY-MM-DD', 'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD HH:MM:SS': the demo's and most exports'
    form, parsed by the C fromisoformat (the bundle holds ~250k distinct timestamps)."""
    n = len(text)
    return (
        (n == 10 or (n in (16, 19) and text[10] == " " and text[13] == ":" and (n == 16 or text[16] == ":")))
        and text[4] == "-"
        and text[7] == "-"
        and text.replace("-", "").replace(" ", "").replace(":", "").isdigit()
    )


def parse_date(text: str) -> date:
    if len(text) == 10 and _iso_shape(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # 2024-02-30: the general path words the error
    found = _date_time(text)
    # Exports from ERP systems and Excel write a date column as a midnight timestamp.
    if found is None or found[0].time() != time(0):
        raise CellError("不是有效的日期")
    return found[0].date()


def parse_timestamp(text: str) -> datetime:
    """A date and time; a date alone (an Excel date cell) is taken as midnight."""
    if _iso_shape(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    found = _date_time(text)
    if found is None:
        raise CellError("不是有效的日期時間")
    return found[0]


def parse_timestamp_text(text: str) -> datetime | None:
    """A date-time typed by a person (e.g. the CLI's --exported-at); None when in no accepted form."""
    cleaned = clean(text)
    if cleaned is None:
        return None
    try:
        return parse_timestamp(cleaned)
    except CellError:
        return None


def parse_audience(text: str) -> str:
    parts = [p for p in _AUDIENCE_SPLIT.split(text) if p]
    unknown = [p for p in parts if p not in AUDIENCES]
    if unknown or not parts:
        raise CellError(f"含有無法辨識的對象（可用：{'、'.join(AUDIENCES)}，以「、」分隔）")
    return "、".join(dict.fromkeys(parts))


def parse_id_number(text: str) -> str:
    """A 身分證號 or resident-certificate number, upper-cased; the caller hashes it at once."""
    value = text.upper()
    if not _ID_NUMBER.fullmatch(value):
        raise CellError("不是有效的身分證號格式（1 個英文字母加 9 個數字）")
    return value


def parse_text(text: str) -> str:
    return text


def parser_for(kind: Kind, column: Column) -> Callable[[str], Any]:
    """The function turning a cleaned, non-empty cell of `column` into its value."""
    if column.type == "int":
        return parse_year if column.name in _YEAR_COLUMNS else parse_int
    if column.type == "semester":
        return semester_parser(kind.semester_values)
    if column.type == "enum":
        if column.enum is None:
            raise ValueError(f"enum column {column.name} has no enum")
        return enum_parser(column.enum)
    parsers: dict[str, Callable[[str], Any]] = {
        "text": parse_text,
        "bool": parse_bool,
        "date": parse_date,
        "ts": parse_timestamp,
        "audience": parse_audience,
        "id_number": parse_id_number,
    }
    return parsers[column.type]


@dataclass
class ParsedColumn:
    values: list[Any]  # per row: the value, None for an empty cell, or Invalid(reason)
    has_invalid: bool
    has_empty: bool


def parse_distinct(raw: Sequence[str], parse: Callable[[str], Any]) -> ParsedColumn:
    """Clean and parse each distinct cell once and map the results back to every row."""
    cache: dict[str, Any] = {}
    has_invalid = has_empty = False
    for cell in set(raw):
        text = clean(cell)
        if text is None:
            cache[cell] = None
            has_empty = True
            continue
        try:
            cache[cell] = parse(text)
        except CellError as exc:
            cache[cell] = Invalid(str(exc))
            has_invalid = True
    return ParsedColumn(list(map(cache.__getitem__, raw)), has_invalid, has_empty)
