"""作業期程 (Art. 5): reading, checking and saving one semester's schedule per scope.

A scope is (學年度, 學期, 部別): division None holds the general rows that apply to both
divisions; a 日間部 / 進修部 row overrides the general row of the same phase for that division.
The editor works on one scope at a time: `load` gives its stored rows as one PhaseEntry per phase
(empty phases included), `check` lists refusals and warnings per field ("教師認證.end_date"),
`save` replaces exactly that scope in one transaction, `copy_forward` proposes last year's dates
moved by 52 weeks. This is the module callers use: the checks and the save are here, the data
and the reading (load, rows, version, effective, scopes, copy_forward) in schedule_model.py,
re-exported. Publishing (HTML, .ics, .xlsx) lives in schedule_publish. This module must stay
headless (no Streamlit), must not format for a page, and reads the wall clock only for the
entered_at stamp.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import duckdb

from dashboard import audit, auth, db
from dashboard.formatting import roc_date, roc_datetime
from dashboard.measures import metrics
from dashboard.records.schedule_model import (
    CLOSING_PHASE,
    COPY_FORWARD_DAYS,
    FIELD_LABELS,
    PHASES,
    RECEIPT_PHASE,
    SELF_CHECK_GRACE_DAYS,
    UPLOAD_PHASE,
    YEAR_MARGIN_MONTHS,
    Check,
    PhaseEntry,
    ScheduleError,
    copy_forward,
    division_rank,
    effective,
    load,
    phase_rank,
    rows,
    scope_label,
    scopes,
    version,
)
from dashboard.school_calendar import school_now, school_year_bounds

__all__ = [
    "CLOSING_PHASE",
    "COPY_FORWARD_DAYS",
    "FIELD_LABELS",
    "PHASES",
    "RECEIPT_PHASE",
    "SELF_CHECK_GRACE_DAYS",
    "UPLOAD_PHASE",
    "YEAR_MARGIN_MONTHS",
    "Check",
    "PhaseEntry",
    "ScheduleError",
    "check",
    "copy_forward",
    "division_rank",
    "effective",
    "load",
    "phase_rank",
    "rows",
    "save",
    "scope_label",
    "scopes",
    "version",
    "year_bounds",
]

Connection = duckdb.DuckDBPyConnection


# --- checking ---------------------------------------------------------------------------


def year_bounds(year: int) -> tuple[date, date]:
    """The 學年度 (Aug 1 … Jul 31) widened by YEAR_MARGIN_MONTHS on both sides."""
    first, last = school_year_bounds(year)
    return _shift_months(first, -YEAR_MARGIN_MONTHS), _shift_months(last, YEAR_MARGIN_MONTHS)


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    y, m = divmod(index, 12)
    return date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def _add(found: dict[str, str], key: str, message: str) -> None:
    found[key] = f"{found[key]} {message}" if key in found else message


def _rule_days(con: Connection, key: str, year: int) -> int | None:
    value = db.rule_value(con, key, year)
    return None if value is None else int(value)


def check(
    con: Connection, year: int, semester: int, division: str | None, entries: Sequence[PhaseEntry]
) -> Check:
    """Every refusal and warning for saving `entries` as the scope (year, semester, division).

    Refused: a phase with some fields but no start or end date (a phase is stored whole or not
    at all); an end before its start; a self-check date before the start or more than
    SELF_CHECK_GRACE_DAYS after the end; a 收訖確認 window shorter than receipt_window_min_days;
    a date outside the 學年度 ± YEAR_MARGIN_MONTHS (a typo guard); and in semester 1 a
    學生上傳課程學習成果 that closes earlier than 休業式 + upload_end_min_days_after_closing.

    In semester 2 that upload rule only warns. The 作業要點 exempts 高三, whose second semester
    closes in April–May for university applications, and a schedule row has no 年級 column: the
    school's upload row for semester 2 may be the 高三 one (or the only one it keeps), so the
    check cannot tell a legitimate early close from a mistake and leaves the call to the clerk.
    休業式 is taken from `entries`, else (for a division scope) from the stored general row.
    """
    problems: dict[str, str] = {}
    warnings: dict[str, str] = {}
    try:
        division = metrics.normalize_division(division)
    except ValueError as exc:
        problems["division"] = str(exc)
    if semester not in (1, 2):
        problems["semester"] = f"學期「{semester}」不正確：只能是 1 或 2。"
    lo, hi = year_bounds(year)
    seen: set[str] = set()
    for e in entries:
        if e.phase not in PHASES:
            problems[f"{e.phase}.phase"] = f"項目「{e.phase}」不存在；可用的項目：{'、'.join(PHASES)}。"
            continue
        if e.phase in seen:
            problems[f"{e.phase}.phase"] = f"項目「{e.phase}」重複出現；每個項目只能有一列。"
            continue
        seen.add(e.phase)
        if e.is_empty:
            continue
        _check_entry(e, year, lo, hi, problems)
    if RECEIPT_PHASE in seen:
        _check_receipt(con, year, entries, problems)
    if UPLOAD_PHASE in seen and "semester" not in problems and "division" not in problems:
        _check_upload(con, year, semester, division, entries, problems, warnings)
    return Check(problems, warnings)


def _check_entry(e: PhaseEntry, year: int, lo: date, hi: date, problems: dict[str, str]) -> None:
    p = e.phase
    for name in ("start_date", "end_date"):
        if getattr(e, name) is None:
            _add(
                problems,
                f"{p}.{name}",
                f"「{p}」缺{FIELD_LABELS[name]}：請填寫開始與結束日期，或清空整列（本學期不辦理此項目）。",
            )
    for name, label in FIELD_LABELS.items():
        value: date | None = getattr(e, name)
        if value is not None and not lo <= value <= hi:
            _add(
                problems,
                f"{p}.{name}",
                f"「{p}」的{label} {roc_date(value)} 不在 {year} 學年度前後 {YEAR_MARGIN_MONTHS} 個月內"
                f"（{roc_date(lo)}–{roc_date(hi)}），可能是年份打錯；請更正。",
            )
    start, end, self_check = e.start_date, e.end_date, e.self_check_date
    if start is None or end is None:
        return
    if end < start:
        _add(
            problems,
            f"{p}.end_date",
            f"「{p}」的結束日期 {roc_date(end)} 早於開始日期 {roc_date(start)}；請更正。",
        )
        return
    if self_check is None:
        return
    latest = end + timedelta(days=SELF_CHECK_GRACE_DAYS)
    if self_check < start:
        _add(
            problems,
            f"{p}.self_check_date",
            f"「{p}」的自我檢核日期 {roc_date(self_check)} 早於開始日期 {roc_date(start)}；"
            f"自我檢核應在作業期間內，或結束後 {SELF_CHECK_GRACE_DAYS} 天內（{roc_date(latest)} 以前）。",
        )
    elif self_check > latest:
        _add(
            problems,
            f"{p}.self_check_date",
            f"「{p}」的自我檢核日期 {roc_date(self_check)} 超過結束日期 {roc_date(end)} 後 "
            f"{SELF_CHECK_GRACE_DAYS} 天；最晚應為 {roc_date(latest)}。",
        )


def _entry(entries: Sequence[PhaseEntry], phase: str) -> PhaseEntry | None:
    return next((e for e in entries if e.phase == phase and not e.is_empty), None)


def _check_receipt(
    con: Connection, year: int, entries: Sequence[PhaseEntry], problems: dict[str, str]
) -> None:
    e = _entry(entries, RECEIPT_PHASE)
    minimum = _rule_days(con, "receipt_window_min_days", year)
    if e is None or e.start_date is None or e.end_date is None or minimum is None:
        return
    days = (e.end_date - e.start_date).days + 1
    if 0 < days < minimum:
        _add(
            problems,
            f"{RECEIPT_PHASE}.end_date",
            f"「{RECEIPT_PHASE}」只有 {days} 天（{roc_date(e.start_date)}–{roc_date(e.end_date)}，含首尾）；"
            f"應至少 {minimum} 天，讓學生有時間確認。請把結束日期延到 "
            f"{roc_date(e.start_date + timedelta(days=minimum - 1))} 或之後。",
        )


def _check_upload(
    con: Connection,
    year: int,
    semester: int,
    division: str | None,
    entries: Sequence[PhaseEntry],
    problems: dict[str, str],
    warnings: dict[str, str],
) -> None:
    upload = _entry(entries, UPLOAD_PHASE)
    if upload is None or upload.end_date is None:
        return
    closing_entry = _entry(entries, CLOSING_PHASE)
    if closing_entry is None and division is not None:
        closing_entry = _entry(load(con, year, semester, None), CLOSING_PHASE)
    key = f"{UPLOAD_PHASE}.end_date"
    if closing_entry is None or closing_entry.end_date is None:
        warnings[key] = (
            f"本學期尚未訂定「{CLOSING_PHASE}」，無法檢查「{UPLOAD_PHASE}」是否開放到休業式後；"
            f"請一併填寫{CLOSING_PHASE}日期。"
        )
        return
    days = _rule_days(con, "upload_end_min_days_after_closing", year)
    if days is None:
        return
    closing = closing_entry.end_date
    required = closing + timedelta(days=days)
    if upload.end_date >= required:
        return
    message = (
        f"「{UPLOAD_PHASE}」的結束日期 {roc_date(upload.end_date)} 太早：應開放到{CLOSING_PHASE} "
        f"{roc_date(closing)} 後至少 {days} 天，即 {roc_date(required)} 或之後。"
    )
    if semester == 1:
        problems[key] = message + "請延後結束日期。"
    else:
        warnings[key] = (
            message + "第二學期允許提早截止，因為高三的第二學期配合大學升學作業於 4–5 月結束；"
            "作業期程沒有年級欄位，系統無法分辨此列是否只適用高三。若此日期也適用高一、高二，請延後。"
        )


def _last_change(con: Connection, year: int, semester: int, division: str | None) -> str:
    rows = [
        r
        for r in db.query_rows(con, "schedule_rows", year=year, semester=semester)
        if r["division"] == division and r["entered_at"] is not None
    ]
    if not rows:
        return "已被刪除或改由匯入檔提供"
    last = max(rows, key=lambda r: r["entered_at"])
    by = "匯入" if last["import_id"] is not None else (last["entered_by"] or "他人")
    return f"最後由 {by} 於 {roc_datetime(last['entered_at'])} 修改"


def save(
    con: Connection,
    year: int,
    semester: int,
    division: str | None,
    entries: Sequence[PhaseEntry],
    user: auth.User,
    now: datetime | None = None,
    expected_version: str | None = None,
) -> None:
    """Replace the stored rows of exactly this scope with the non-empty entries.

    Raises ScheduleError without writing anything when the user lacks edit_records, `check`
    refuses, or `expected_version` (the `version` the editor loaded) no longer matches the stored
    rows (key "version"). Saved rows carry entered_by / entered_at and no import_id / source_row.
    """
    if not user.can("edit_records"):
        raise ScheduleError(
            {"user": f"您的角色（{user.role}）沒有編輯作業期程的權限；請洽註冊組、執行秘書或管理者。"}
        )
    result = check(con, year, semester, division, entries)
    if result.problems:
        raise ScheduleError(result.problems)
    div = metrics.normalize_division(division)
    scope = {"year": year, "semester": semester, "division": div}
    stamp = now or school_now()  # an audit stamp: when it was entered, not the data's "now"
    with db.transaction(con) as cur:
        if expected_version is not None and version(cur, year, semester, division) != expected_version:
            raise ScheduleError(
                {
                    "version": f"{metrics.semester_label(year, semester)}（{scope_label(div)}）"
                    f"的期程在您開啟後已有變更（{_last_change(cur, year, semester, div)}）；"
                    "為免覆蓋，這次沒有儲存，您的輸入仍保留在畫面上。請先載入最新期程比對後再儲存。"
                }
            )
        cur.execute(
            "delete from schedule where school_year = $year and semester = $semester"
            " and division is not distinct from $division",
            scope,
        )
        for e in entries:
            if e.is_empty:
                continue
            cur.execute(
                "insert into schedule (school_year, semester, division, phase, start_date, end_date,"
                " self_check_date, unit, import_id, source_row, entered_by, entered_at)"
                " values ($year, $semester, $division, $phase, $start, $end, $self_check, $unit,"
                " null, null, $by, $at)",
                {
                    **scope,
                    "phase": e.phase,
                    "start": e.start_date,
                    "end": e.end_date,
                    "self_check": e.self_check_date,
                    "unit": e.unit.strip() or None,
                    "by": user.username,
                    "at": stamp,
                },
            )
        filled = sum(1 for e in entries if not e.is_empty)
        audit.record(
            cur,
            audit.FORM_SAVED,
            user.username,
            detail=f"作業期程：{metrics.semester_label(year, semester)}（{scope_label(div)}）{filled} 項",
        )
