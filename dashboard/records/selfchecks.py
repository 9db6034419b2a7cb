"""自我檢核 (補充規定第五點): every 作業期程 row with a 自我檢核日期 is a check the school must
record, with the figures of that moment, so the working group can see which phases were met.

A check is kept per stored schedule row (學年度, 學期, 部別, 項目); 部別 NULL is the row for
both divisions, and its figures cover the divisions it really serves (a division with a row of
its own for the same 項目 is checked there). Several records per check are allowed (a re-check
after 未達成); the latest counts. The figures are a snapshot taken from the metrics core
(metrics.semester_metrics / year_metrics, and pipeline.expected_rosters for 學校提交), never
counted here, so a check says exactly what the pages and the command line said at that moment.

States are computed against a `today` the caller passes (the page's calendar day), because a
self-check is an act of people on a date, not a property of the exported data. This module must
not import streamlit, cache, or format for display.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

import duckdb

from dashboard import audit, auth, db
from dashboard.formatting import roc_date
from dashboard.ingest.kinds import ENUMS
from dashboard.measures import metrics, pipeline
from dashboard.school_calendar import school_now

Connection = duckdb.DuckDBPyConnection
State = Literal["未到期", "今日應檢核", "逾期未檢核", "已檢核"]

STATES: tuple[State, ...] = ("未到期", "今日應檢核", "逾期未檢核", "已檢核")
RESULTS: tuple[str, ...] = ("達成", "未達成")
PHASES: tuple[str, ...] = tuple(ENUMS["phase"])
# A check recorded long before its date would describe a phase that has barely started; a month
# leaves room for a phase that is clearly met early (or a clerk who will be away on the day).
EARLIEST_DAYS_BEFORE = 30

# 項目 -> the figure keys a check stores. Semester phases read semester_metrics of (學年度, 學期);
# 多元表現, 勾選 and 收訖確認 are counted per 學年度 (metrics.md), so they read year_metrics.
FIGURES: dict[str, tuple[str, ...]] = {
    "學生上傳課程學習成果": ("students_active", "students_with_upload", "upload_rate", "uploaded"),
    "教師認證": (
        "submitted",
        "passed",
        "failed",
        "pending",
        "certification_rate",
        "on_time",
        "on_time_rate",
    ),
    "學生上傳多元表現": ("students_active", "students_with_upload", "upload_rate", "uploaded"),
    "學生勾選": (
        "students_active",
        "students_with_selection",
        "selection_rate",
        "outcomes_selected",
        "diverse_selected",
        "selected_not_passed",
    ),
    "學校提交": ("rosters_due", "rosters_submitted", "submission_rate", "rosters_on_time", "failed_attempts"),
    "收訖確認": ("listed", "confirmed", "reported", "unconfirmed", "confirmation_rate"),
    "休業式": (),
}
FIGURE_LABELS: dict[str, str] = {
    "students_active": "在籍學生",
    "students_with_upload": "已上傳學生",
    "upload_rate": "上傳率",
    "uploaded": "上傳件數",
    "submitted": "送出認證件數",
    "passed": "通過",
    "failed": "未通過",
    "pending": "認證中",
    "certification_rate": "認證完成率",
    "on_time": "如期認證件數",
    "on_time_rate": "如期認證率",
    "students_with_selection": "已勾選學生",
    "selection_rate": "勾選率",
    "outcomes_selected": "勾選課程學習成果件數",
    "diverse_selected": "勾選多元表現件數",
    "selected_not_passed": "勾選但未通過認證",
    "rosters_due": "應提交名冊",
    "rosters_submitted": "已提交名冊",
    "submission_rate": "提交完成率",
    "rosters_on_time": "如期提交名冊",
    "failed_attempts": "提交失敗次數",
    "listed": "收訖明細筆數",
    "confirmed": "已確認",
    "reported": "回報錯誤",
    "unconfirmed": "未確認",
    "confirmation_rate": "確認率",
}


@dataclass(frozen=True)
class SelfCheckRecord:
    """One recorded check with the figures of its moment (figures_as_of = 資料截至 then)."""

    result: str  # 達成 / 未達成
    note: str
    figures: dict[str, Any]
    figures_as_of: datetime | None
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class SelfCheckStatus:
    """One schedule row's self-check as it stands on `today`."""

    year: int
    semester: int
    phase: str
    division: str | None  # the schedule row's 部別; None = the row for both (全校)
    unit: str | None
    start_date: date
    end_date: date
    self_check_date: date
    state: State
    days_overdue: int | None  # 逾期未檢核: days since the self-check date
    days_to_check: int | None  # 未到期: days until the self-check date
    latest: SelfCheckRecord | None
    record_count: int
    figures_division: str | None  # whose figures a check stores: None = 全校

    @property
    def done(self) -> bool:
        return self.latest is not None


class SelfCheckError(ValueError):
    """A refused check: `problems` maps a form field (result, note, phase, user) to a message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def _served_division(division: str | None, overriding: list[str]) -> str | None:
    """The division whose figures a check covers: its own, or the one a general row still serves
    when the other has a row of its own (None when it serves both, or none is left over)."""
    if division is not None:
        return division
    left = [d for d in metrics.DIVISIONS if d not in overriding]
    return left[0] if len(left) == 1 else None


def _record(row: dict[str, Any]) -> SelfCheckRecord:
    return db.record(SelfCheckRecord, row, figures=json.loads(row["figures"]) if row["figures"] else {})


def _status(row: dict[str, Any], today: date) -> SelfCheckStatus:
    if isinstance(today, datetime):  # a datetime cannot be compared with a date
        today = today.date()
    due: date = row["self_check_date"]
    latest = _record(row) if row["recorded_at"] is not None else None
    state: State
    if latest is not None:
        state = "已檢核"
    elif today < due:
        state = "未到期"
    elif today == due:
        state = "今日應檢核"
    else:
        state = "逾期未檢核"
    return db.record(
        SelfCheckStatus,
        row,  # semester, phase, division, unit, start_date, end_date, record_count
        year=row["school_year"],
        self_check_date=due,
        state=state,
        days_overdue=(today - due).days if state == "逾期未檢核" else None,
        days_to_check=(due - today).days if state == "未到期" else None,
        latest=latest,
        figures_division=_served_division(row["division"], list(row["overriding_divisions"] or [])),
    )


def statuses(con: Connection, year: int, semester: int, today: date) -> list[SelfCheckStatus]:
    """The semester's self-checks in order of their date, each as it stands on `today`."""
    metrics.semester_code(year, semester)  # a clerk-readable error for a bad semester
    rows = db.query_rows(con, "self_check_list", year=year, semester=semester)
    return [_status(r, today) for r in rows]


def missed(con: Connection, today: date) -> list[SelfCheckStatus]:
    """Every self-check, in any semester on record, whose date is before `today` and that has
    no record (the 總覽 notice). A check due today is not missed yet."""
    rows = db.query_rows(con, "self_check_list", year=None, semester=None)
    return [s for s in (_status(r, today) for r in rows) if s.state == "逾期未檢核"]


def history(
    con: Connection, year: int, semester: int, division: str | None, phase: str
) -> list[SelfCheckRecord]:
    """Every record of one self-check, newest first."""
    rows = db.query_rows(
        con,
        "self_check_history",
        year=year,
        semester=semester,
        division=metrics.normalize_division(division),
        phase=phase,
    )
    return [_record(r) for r in rows]


# --- the figures of a moment --------------------------------------------------------------


def _pick(source: dict[str, Any], phase: str) -> dict[str, Any]:
    return {key: source[key] for key in FIGURES[phase]}


def _outcomes(con: Connection, year: int, semester: int, division: str | None) -> dict[str, Any]:
    sem = metrics.semester_metrics(con, year, semester, division)
    return {"students_active": sem["students_active"], **sem["outcomes"]}


def _upload(con: Connection, year: int, semester: int, division: str | None) -> dict[str, Any]:
    return _pick(_outcomes(con, year, semester, division), "學生上傳課程學習成果")


def _certify(con: Connection, year: int, semester: int, division: str | None) -> dict[str, Any]:
    return _pick(_outcomes(con, year, semester, division), "教師認證")


def _diverse(con: Connection, year: int, semester: int, division: str | None) -> dict[str, Any]:
    yr = metrics.year_metrics(con, year, division)
    return _pick({"students_active": yr["students_active"], **yr["diverse"]}, "學生上傳多元表現")


def _selection(con: Connection, year: int, semester: int, division: str | None) -> dict[str, Any]:
    yr = metrics.year_metrics(con, year, division)
    return _pick({"students_active": yr["students_active"], **yr["selection"]}, "學生勾選")


def _deliver(con: Connection, year: int, semester: int, division: str | None) -> dict[str, Any]:
    # The rosters due are the pipeline's (its 提交 stage), judged on year_metrics' submissions.
    yr = metrics.year_metrics(con, year, division)
    divisions = pipeline.divisions_in_scope(pipeline.group_students(con, year, semester, division), division)
    rosters = pipeline.expected_rosters(yr["submissions"], semester, divisions)
    done = sum(1 for r in rosters if r.done)
    return {
        "rosters_due": len(rosters),
        "rosters_submitted": done,
        "submission_rate": metrics.rate(done, len(rosters)),
        "rosters_on_time": sum(1 for r in rosters if r.on_time),
        "failed_attempts": sum(r.failed_attempts for r in rosters),
    }


def _receipts(con: Connection, year: int, semester: int, division: str | None) -> dict[str, Any]:
    receipts = metrics.year_metrics(con, year, division)["receipts"].values()
    listed = sum(r["listed"] for r in receipts)
    confirmed = sum(r["confirmed"] for r in receipts)
    return {
        "listed": listed,
        "confirmed": confirmed,
        "reported": sum(r["reported"] for r in receipts),
        "unconfirmed": sum(r["unconfirmed"] for r in receipts),
        "confirmation_rate": metrics.rate(confirmed, listed),
    }


def _nothing(con: Connection, year: int, semester: int, division: str | None) -> dict[str, Any]:
    return {}  # 休業式 is a date, not a count


_SOURCES: dict[str, Callable[[Connection, int, int, str | None], dict[str, Any]]] = {
    "學生上傳課程學習成果": _upload,
    "教師認證": _certify,
    "學生上傳多元表現": _diverse,
    "學生勾選": _selection,
    "學校提交": _deliver,
    "收訖確認": _receipts,
    "休業式": _nothing,
}


def figures(con: Connection, year: int, semester: int, phase: str, division: str | None) -> dict[str, Any]:
    """The FIGURES of `phase` for (學年度, 學期) and one division (None = 全校), from metrics."""
    return _SOURCES[phase](con, year, semester, metrics.normalize_division(division))


# --- recording -------------------------------------------------------------------------------


def _find(found: list[SelfCheckStatus], phase: str, division: str | None) -> SelfCheckStatus | None:
    return next((s for s in found if s.phase == phase and s.division == division), None)


def record(
    con: Connection,
    year: int,
    semester: int,
    division: str | None,
    phase: str,
    result: str,
    note: str,
    user: auth.User,
    now: datetime | None = None,
) -> SelfCheckStatus:
    """Record a check of the schedule row (year, semester, division, phase) with the figures of
    this moment, in one transaction; returns the check as it stands afterwards."""
    if not user.can("edit_records"):
        raise SelfCheckError({"user": "您的角色不能登錄自我檢核（需註冊組、執行秘書或管理者）。"})
    at = now or school_now()
    problems: dict[str, str] = {}
    if result not in RESULTS:
        problems["result"] = f"檢核結果「{result}」不正確：請選「達成」或「未達成」。"
    text = (note or "").strip()
    if result == "未達成" and not text:
        problems["note"] = "檢核結果為「未達成」時，請在說明寫下改善做法（由誰、何時前、做什麼），以便複檢。"
    try:
        division = metrics.normalize_division(division)
        found = statuses(con, year, semester, at.date())
    except ValueError as exc:
        raise SelfCheckError({**problems, "phase": str(exc)}) from exc
    target = _find(found, phase, division)
    scope = metrics.division_label(division)
    if target is None:
        problems["phase"] = (
            f"{metrics.semester_label(year, semester)}的作業期程沒有「{phase}」（{scope}）的自我檢核日期；"
            "請先在「作業期程」填寫該項目的自我檢核日期，再登錄檢核。"
        )
    else:
        earliest = target.self_check_date - timedelta(days=EARLIEST_DAYS_BEFORE)
        if at.date() < earliest:
            problems["phase"] = (
                f"「{phase}」（{scope}）的自我檢核日期是 {roc_date(target.self_check_date)}，"
                f"最早可在 {EARLIEST_DAYS_BEFORE} 天前（{roc_date(earliest)} 起）登錄；"
                "現在登錄太早，數字還不能說明這一階段是否達成。"
            )
    if problems or target is None:
        raise SelfCheckError(problems)
    snapshot = figures(con, year, semester, phase, target.figures_division)
    as_of = db.as_of(con)
    with db.transaction(con) as cur:
        cur.execute(
            "insert into self_checks values ($year, $semester, $division, $phase, $result, $figures,"
            " $as_of, $note, $by, $at)",
            {
                "year": year,
                "semester": semester,
                "division": division,
                "phase": phase,
                "result": result,
                "figures": json.dumps(snapshot, ensure_ascii=False),
                "as_of": as_of,
                "note": text,
                "by": user.username,
                "at": at,
            },
        )
        audit.record(
            cur,
            audit.FORM_SAVED,
            user.username,
            detail=f"自我檢核：{metrics.semester_label(year, semester)}「{phase}」（{scope}）{result}",
        )
    after = _find(statuses(con, year, semester, at.date()), phase, division)
    if after is None:  # the row was there a moment ago; only a concurrent delete explains this
        raise RuntimeError("self-check row vanished while recording")
    return after
