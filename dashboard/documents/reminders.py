"""待認證提醒: the reminder workbook a clerk sends round, and a message per teacher to paste into
e-mail or LINE.

The workbook has two sheets: 待認證教師 (each teacher with pending items, their oldest wait,
the 教師認證 deadline and days left as of 資料截至, and the unit that certifies for a teacher
who is gone) and 待認證明細 (each pending item in class order, then 學號). Students' names are
masked (王○明) unless the caller may show them. The messages carry no student's personal data:
counts, ages, the deadline in ROC form and whom to ask. Everything comes from
dashboard.measures.teachers; this module only shapes it. It must not import streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb
import pandas as pd

from dashboard import exports
from dashboard.formatting import roc_date
from dashboard.measures import metrics, teachers
from dashboard.measures.teachers import PendingItem, TeacherStatus
from dashboard.privacy import mask_name

TEACHER_SHEET = "待認證教師"
ITEM_SHEET = "待認證明細"
TEACHER_COLUMNS: tuple[str, ...] = (
    "教師代碼",
    "教師姓名",
    "單位",
    "在職狀態",
    "待認證件數",
    "最久等待天數",
    "認證截止日",
    "尚餘天數",
    "代理認證單位",
)
ITEM_COLUMNS: tuple[str, ...] = (
    "班級",
    "座號",
    "學號",
    "學生姓名",
    "科目名稱",
    "課程代碼",
    "送出認證時間",
    "等待天數",
    "任課教師",
    "教師代碼",
)
NOT_IN_STAFF = "不在教職員名冊"
# Two-character surnames, so 歐陽明 is 歐陽老師 and not 歐老師.
_COMPOUND_SURNAMES = ("歐陽", "張簡", "范姜", "司馬", "諸葛", "上官", "司徒", "東方", "夏侯", "皇甫")


def file_name(year: int, semester: int, division: str | None = None) -> str:
    """115-1_待認證提醒_日間部.xlsx (全校 when no division)."""
    return exports.export_file_name(metrics.semester_code(year, semester), "待認證提醒", division)


def status_label(teacher: TeacherStatus) -> str:
    return teacher.employment_status or NOT_IN_STAFF


def teacher_sheet(board: Sequence[TeacherStatus]) -> pd.DataFrame:
    """Sheet 1: each teacher with pending items, in the board's order (教師代碼)."""
    rows = [
        (
            t.code,
            t.name,
            t.unit,
            status_label(t),
            t.pending,
            t.oldest_pending_days,
            t.deadline_date,
            t.days_left,
            "、".join(t.proxy_units),
        )
        for t in board
        if t.pending > 0
    ]
    return pd.DataFrame(rows, columns=list(TEACHER_COLUMNS)).astype(
        {"最久等待天數": "Int64", "尚餘天數": "Int64"}
    )


def item_sheet(items: Sequence[PendingItem], *, show_names: bool) -> pd.DataFrame:
    """Sheet 2: the pending items in class order, then 學號; names masked unless `show_names`."""
    rows = [
        (
            i.class_name,
            i.seat_no,
            i.student_no,
            i.student_name if show_names else mask_name(i.student_name),
            i.subject_name,
            i.course_code,
            i.submitted_at,
            i.waiting_days,
            i.teacher_name,
            i.teacher_code,
        )
        for i in items
    ]
    return pd.DataFrame(rows, columns=list(ITEM_COLUMNS)).astype({"座號": "Int64", "等待天數": "Int64"})


def workbook(
    con: duckdb.DuckDBPyConnection,
    year: int,
    semester: int,
    division: str | None = None,
    *,
    show_names: bool,
    as_of: datetime | None = None,
) -> bytes:
    """The reminder workbook of S (and division) as .xlsx bytes (formula-like text neutralised)."""
    as_of = teachers.resolve_as_of(con, as_of)
    board = teachers.board(con, year, semester, division, as_of=as_of)
    items = teachers.pending_items(con, year, semester, division, as_of=as_of)
    return exports.to_xlsx(
        {TEACHER_SHEET: teacher_sheet(board), ITEM_SHEET: item_sheet(items, show_names=show_names)}
    )


# --- messages ---------------------------------------------------------------------------


def salutation(name: str | None, code: str) -> str:
    """王大明 -> 王老師; a teacher not in 教職員名冊 is addressed by code."""
    if not name:
        return f"{code} 老師"
    surname = name[:2] if name.startswith(_COMPOUND_SURNAMES) else name[:1]
    return f"{surname}老師"


def deadline_text(teacher: TeacherStatus) -> str:
    """認證截止日為 116/02/09（尚餘 85 天）, or 今天截止 / 已逾期 N 天."""
    if teacher.deadline_date is None or teacher.days_left is None:
        return "認證截止日請依學校公告之作業期程"
    when = f"認證截止日為 {roc_date(teacher.deadline_date)}"
    if teacher.days_left > 0:
        return f"{when}（尚餘 {teacher.days_left} 天）"
    if teacher.days_left == 0:
        return f"{when}（今天截止）"
    return f"{when}（已逾期 {-teacher.days_left} 天）"


def _waiting_text(teacher: TeacherStatus) -> str:
    if teacher.oldest_pending_days is None:
        return ""
    return f"（最久已等待 {teacher.oldest_pending_days} 天）"


def _contact_text(teacher: TeacherStatus) -> str:
    units = teacher.units
    if len(units) == 1:
        return units[0]
    return "或".join(f"{unit}（{d}學生）" for d, unit in teachers.UNIT_FOR_DIVISION.items() if unit in units)


def _account_text(teacher: TeacherStatus) -> str:
    if teacher.account_disabled_on is None or teacher.account_state is None:
        return ""
    when = roc_date(teacher.account_disabled_on)
    if teacher.account_state == "closed":
        return f"該教師之平臺帳號已於 {when} 停用。"
    return (
        f"該教師之平臺帳號將於 {when} 停用；若原任課教師仍可協助認證，"
        "得衡酌資通安全相關事宜後減緩帳號停用（同點(三)2(2)）。"
    )


def _proxy_message(teacher: TeacherStatus, semester_label: str) -> str:
    units = teacher.proxy_units
    who = (
        f"{teacher.name}老師（{teacher.code}，{status_label(teacher)}）"
        if teacher.name
        else f"教師代碼 {teacher.code}（{NOT_IN_STAFF}）"
    )
    split = ""
    if len(units) > 1:
        parts = (
            f"{d} {teacher.pending_by_division[d]} 件由{u}" for d, u in teachers.UNIT_FOR_DIVISION.items()
        )
        split = f"（{'、'.join(parts)}）"
    return (
        f"{'、'.join(units)}您好：{who}於{semester_label}尚有 {teacher.pending} 件課程學習成果待認證"
        f"{_waiting_text(teacher)}，{deadline_text(teacher)}。"
        f"依本校學生學習歷程檔案作業補充規定第十一點(三)2(1)，請由{'與'.join(units)}代理協助認證"
        f"{split}。{_account_text(teacher)}"
    )


def message(teacher: TeacherStatus, year: int, semester: int) -> str | None:
    """The reminder a clerk pastes into e-mail or LINE; None when nothing is pending.

    A flagged teacher (gone, items still pending) gets no reminder: the message is addressed to
    the unit that certifies in their place instead.
    """
    if teacher.pending <= 0:
        return None
    semester_label = metrics.semester_label(year, semester)
    if teacher.flagged:
        return _proxy_message(teacher, semester_label)
    overdue = teacher.days_left is not None and teacher.days_left < 0
    return (
        f"{salutation(teacher.name, teacher.code)}您好：{semester_label}課程學習成果尚有 "
        f"{teacher.pending} 件待認證{_waiting_text(teacher)}，{deadline_text(teacher)}。"
        f"請{'儘速' if overdue else ''}登入學習歷程平臺完成認證。如有問題請洽{_contact_text(teacher)}。"
    )
