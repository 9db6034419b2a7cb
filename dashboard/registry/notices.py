"""紙本通知 (補充規定第十一點(四)): students who have left and still have 未確認 receipts.

Who has left (queries/notice_recipients.sql): a student whose latest roster row, over every
semester in the database, has 學籍狀態 轉出, 退學, 休學 or 畢業 — a roster exported after
graduation marks the seniors 畢業 (with 畢業學年度 and 異動日期, the day they left), so every
graduate is found, 進修部 seniors who end in grade 3 included; or whose latest row is 第2學期 of
a 學年度 before the current one (the 學年度 of 資料截至) in the final grade — 日間部 grade 3,
進修部 grade 4 when that year has a grade 4, else 3 — a graduate a roster taken before
graduation still lists as 在學.

The deadline of a receipt is the 收訖確認 end of its 學年度/學期 (學期 2's for a per-year
roster), the 部別's own row first. Students get at least receipt_window_min_days days from
資料截至 (作業要點): when there is no such phase, or it ends sooner (or has already ended, as it
usually has for a student who left long ago), the deadline is 資料截至 + that many days, and
`deadline_note` says so. The unit to contact is 教務處註冊組 (日間部) or 進修部教務組 (進修部).

Addresses travel only to callers that may see them (auth permission view_addresses); for the
others the mailing list has no 郵遞地址 column at all. This module must not import streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import pandas as pd

from dashboard import db, exports
from dashboard.formatting import roc_date
from dashboard.measures.teachers import UNIT_FOR_DIVISION
from dashboard.privacy import mask_name
from dashboard.school_calendar import school_year_of

SHEET = "紙本通知名單"
TITLE = "紙本通知"
ADDRESS_COLUMN = "郵遞地址"
WINDOW_RULE = "receipt_window_min_days"
DEFAULT_WINDOW_DAYS = 3  # 作業要點, used only when the rules table has no row in force
LEAVE_REASONS: tuple[str, ...] = ("畢業", "轉出", "退學", "休學")
MAILING_COLUMNS: tuple[str, ...] = (
    "學號",
    "姓名",
    "部別",
    "班級",
    "離校原因",
    ADDRESS_COLUMN,
    "待確認名冊",
    "截止日",
    "聯絡單位",
)


def receipt_label(school_year: int, semester: int, roster: str) -> str:
    """113學年度 課程學習成果 (per-year roster) or 113學年度第2學期 修課紀錄."""
    if semester == 0:
        return f"{school_year}學年度 {roster}"
    return f"{school_year}學年度第{semester}學期 {roster}"


@dataclass(frozen=True)
class PendingReceipt:
    school_year: int
    semester: int  # 0 = per-year roster
    roster: str
    phase_end_date: date | None  # 收訖確認 end of its semester, None when the schedule has none
    deadline_date: date
    deadline_note: str | None  # why the deadline is not the phase end; None when it is

    @property
    def label(self) -> str:
        return receipt_label(self.school_year, self.semester, self.roster)


@dataclass(frozen=True)
class Recipient:
    student_no: str
    name: str
    division: str
    class_name: str
    reason: str  # 畢業 / 轉出 / 退學 / 休學
    left_on: date | None
    address: str | None  # None unless the caller may see addresses (or none is on file)
    receipts: tuple[PendingReceipt, ...]

    @property
    def contact_unit(self) -> str:
        return UNIT_FOR_DIVISION.get(self.division, UNIT_FOR_DIVISION["日間部"])

    @property
    def deadline_date(self) -> date:
        """The earliest deadline among the student's receipts: the date the letter asks for."""
        return min(r.deadline_date for r in self.receipts)

    @property
    def roster_text(self) -> str:
        return "；".join(r.label for r in self.receipts)


def window_days(con: duckdb.DuckDBPyConnection, as_of: datetime) -> int:
    value = db.rule_value(con, WINDOW_RULE, school_year_of(as_of.date()))
    return DEFAULT_WINDOW_DAYS if value is None else int(value)


def deadline(phase_end: date | None, as_of: datetime, days: int) -> tuple[date, str | None]:
    """The phase end when it leaves at least `days` days after 資料截至, else 資料截至 + days."""
    earliest = as_of.date() + timedelta(days=days)
    if phase_end is None:
        return earliest, f"未訂收訖確認期程，以資料截至後 {days} 天計"
    if phase_end < earliest:
        return earliest, f"原訂 {roc_date(phase_end)} 截止已過或不足 {days} 天，以資料截至後 {days} 天計"
    return phase_end, None


def _as_date(value: Any) -> date | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def recipients(
    con: duckdb.DuckDBPyConnection,
    *,
    year: int | None = None,
    semester: int | None = None,
    division: str | None = None,
    may_see_addresses: bool,
    as_of: datetime | None = None,
) -> list[Recipient]:
    """The students to notify, in 部別, 班級, 學號 order, with their 未確認 receipts.

    `year` None = every 學年度; `semester` None = the whole year (2 includes the per-year
    rosters, which are confirmed in 學期 2's window). Raises ValueError without 資料截至.
    """
    as_of = as_of if as_of is not None else db.as_of(con)
    if as_of is None:
        raise ValueError(
            "資料庫尚無資料截至時間（沒有匯入紀錄），無法計算收訖確認截止日；請先匯入平臺匯出檔。"
        )
    days = window_days(con, as_of)
    rows = db.query_rows(
        con, "notice_recipients", as_of=as_of, year=year, semester=semester, division=division
    )
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["student_no"], []).append(row)
    result = []
    for student_rows in grouped.values():
        first = student_rows[0]
        receipts = []
        for r in student_rows:
            phase_end = _as_date(r["phase_end_date"])
            due, note = deadline(phase_end, as_of, days)
            receipts.append(
                PendingReceipt(r["school_year"], r["semester"], r["roster"], phase_end, due, note)
            )
        result.append(
            Recipient(
                student_no=first["student_no"],
                name=first["student_name"],
                division=first["division"],
                class_name=first["class_name"],
                reason=first["leave_reason"],
                left_on=_as_date(first["left_on"]),
                address=first["address"] if may_see_addresses else None,
                receipts=tuple(receipts),
            )
        )
    return result


def mailing_sheet(rows: Sequence[Recipient], *, show_names: bool, may_see_addresses: bool) -> pd.DataFrame:
    """One row per student; the 郵遞地址 column exists only when `may_see_addresses`."""
    columns = [c for c in MAILING_COLUMNS if may_see_addresses or c != ADDRESS_COLUMN]
    records = []
    for r in rows:
        record: dict[str, object] = {
            "學號": r.student_no,
            "姓名": r.name if show_names else mask_name(r.name),
            "部別": r.division,
            "班級": r.class_name,
            "離校原因": r.reason,
            "待確認名冊": r.roster_text,
            "截止日": roc_date(r.deadline_date),
            "聯絡單位": r.contact_unit,
        }
        if may_see_addresses:
            record[ADDRESS_COLUMN] = r.address or ""
        records.append(record)
    return pd.DataFrame(records, columns=columns)


def mailing_workbook(rows: Sequence[Recipient], *, show_names: bool, may_see_addresses: bool) -> bytes:
    sheet = mailing_sheet(rows, show_names=show_names, may_see_addresses=may_see_addresses)
    return exports.to_xlsx({SHEET: sheet})


def scope_code(year: int | None, semester: int | None) -> str:
    """全部 / 114 / 114-2: the first part of a download's file name."""
    if year is None:
        return "全部學年度"
    return str(year) if semester is None else f"{year}-{semester}"


def file_name(year: int | None, semester: int | None, division: str | None, suffix: str = ".xlsx") -> str:
    """114-2_紙本通知名單_日間部.xlsx; the letters use suffix .pdf and title 紙本通知."""
    title = "紙本通知名單" if suffix == ".xlsx" else "紙本通知信函"
    name = exports.export_file_name(scope_code(year, semester), title, division)
    return name.removesuffix(".xlsx") + suffix
