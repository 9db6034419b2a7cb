"""研習場次 (補充規定第十點): the sessions entered by form beside the imported ones, and whether
each 學年度 held at least the required number of each type, per division.

The counts behind the check are metrics.year_metrics(...)["trainings"], so this page shows the
same numbers as the command line (`python -m dashboard metrics --year Y`); the minimum is the
rule trainings_min_per_type_per_year in force that year. A session entered here is stored like an
imported row (對象 joined by 、, import_id NULL) plus who entered it and when; only such rows can
be removed here, since an imported row would come back with the next import of its file.
This module must not import streamlit, cache, or format for display.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb

from dashboard import audit, auth, db
from dashboard.measures import metrics
from dashboard.records.committee import year_bounds
from dashboard.school_calendar import school_now

Connection = duckdb.DuckDBPyConnection

# The same values as metrics.TRAINING_KINDS and kinds.AUDIENCES (a test holds them equal), so a
# form row is counted and imported exactly like a row from a file.
TYPES: tuple[str, ...] = ("宣導說明", "系統操作訓練", "專業研習")
AUDIENCES: tuple[str, ...] = ("學生", "家長", "教職員", "教師")
AUDIENCE_SEPARATOR = "、"
MIN_YEAR, MAX_YEAR = 108, 199  # 108: the first 學年度 of the learning-portfolio system
RULE = "trainings_min_per_type_per_year"
SOURCE_FORM, SOURCE_IMPORT = "表單", "匯入"


@dataclass(frozen=True)
class Session:
    """One 研習場次 as the form holds it; division None = held for both divisions."""

    school_year: int
    held_on: date | None
    kind: str
    title: str
    audiences: list[str] = field(default_factory=list)
    division: str | None = None
    organiser: str = ""
    attendance: int | None = None


@dataclass(frozen=True)
class ScopeCompliance:
    """One scope's sessions per type (metrics' counts) against the minimum."""

    division: str | None  # None = 全校
    label: str
    counts: dict[str, int]
    missing: tuple[str, ...]  # types held fewer times than the minimum

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class TrainingCompliance:
    year: int
    minimum: int | None  # None: no rule in force for the year (nothing is required)
    scopes: tuple[ScopeCompliance, ...]  # 全校, 日間部, 進修部

    @property
    def complete(self) -> bool:
        return all(s.complete for s in self.scopes)


class TrainingError(ValueError):
    """A refused session: `problems` maps a form field (or user / session) to a message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate(session: Session) -> dict[str, str]:
    """Every problem as {field: message}; empty when the session may be saved."""
    problems: dict[str, str] = {}
    year = session.school_year
    if not _is_int(year) or not MIN_YEAR <= year <= MAX_YEAR:
        problems["school_year"] = f"學年度「{year}」不正確：請寫民國年（{MIN_YEAR}～{MAX_YEAR}），例如 114。"
    if session.held_on is None:
        problems["held_on"] = "請填寫研習日期。"
    elif "school_year" not in problems:
        first, last = year_bounds(year)
        if not first <= session.held_on <= last:
            problems["held_on"] = (
                f"日期 {session.held_on} 不在 {year} 學年度（{first}～{last}）內；"
                "請確認學年度或日期（8 月 1 日起算新學年度）。"
            )
    if session.kind not in TYPES:
        problems["kind"] = f"類型「{session.kind}」不正確：只能是 {'、'.join(TYPES)}。"
    if not (session.title or "").strip():
        problems["title"] = "請填寫研習名稱。"
    chosen = [a.strip() for a in session.audiences if a.strip()]
    unknown = [a for a in chosen if a not in AUDIENCES]
    if unknown:
        problems["audiences"] = f"對象「{'、'.join(unknown)}」不正確：只能是 {'、'.join(AUDIENCES)}。"
    elif not chosen:
        problems["audiences"] = "請至少選一種對象（學生、家長、教職員或教師）。"
    if session.division not in (None, *metrics.DIVISIONS):
        problems["division"] = (
            f"部別「{session.division}」不正確：只能是 日間部、進修部，或留白表示兩部皆適用。"
        )
    if not (session.organiser or "").strip():
        problems["organiser"] = "請填寫主辦單位（例如 教務處註冊組）。"
    if session.attendance is not None and (not _is_int(session.attendance) or session.attendance < 0):
        problems["attendance"] = f"參加人數「{session.attendance}」不正確：請填 0 以上的整數，或留白。"
    return problems


def _audience_text(audiences: list[str]) -> str:
    chosen = {a.strip() for a in audiences}
    return AUDIENCE_SEPARATOR.join(a for a in AUDIENCES if a in chosen)  # the regulation's order


def _key_text(year: int, held_on: date | None, kind: str, title: str | None) -> str:
    return f"{year} 學年度 {held_on}「{kind}」{title or '（無名稱）'}"


def add(
    con: Connection, session: Session, user: auth.User, now: datetime | None = None
) -> TrainingCompliance:
    """Store a session entered by form, in one transaction; returns the year's compliance."""
    if not user.can("edit_records"):
        raise TrainingError({"user": "您的角色不能登錄研習場次（需註冊組、執行秘書或管理者）。"})
    problems = validate(session)
    if problems:
        raise TrainingError(problems)
    title = session.title.strip()
    key: dict[str, Any] = {
        "year": session.school_year,
        "held_on": session.held_on,
        "kind": session.kind,
        "title": title,
    }
    described = _key_text(session.school_year, session.held_on, session.kind, title)
    with db.transaction(con) as cur:
        # Checked inside the write so two clerks saving the same session cannot both succeed.
        same = cur.execute(
            "select count(*) from trainings where school_year = $year and held_on = $held_on"
            " and kind = $kind and title is not distinct from $title",
            key,
        ).fetchone()
        if same and same[0]:
            raise TrainingError(
                {
                    "title": f"{described} 已經登錄過；同一天同類型同名稱的場次只能有一筆"
                    "（若是另一場，請在名稱加註場次或對象）。"
                }
            )
        cur.execute(
            "insert into trainings (school_year, held_on, kind, title, audience, division, organiser,"
            " attendance, import_id, source_row, entered_by, entered_at)"
            " values ($year, $held_on, $kind, $title, $audience, $division, $organiser, $attendance,"
            " null, null, $by, $at)",
            {
                **key,
                "audience": _audience_text(session.audiences),
                "division": session.division,
                "organiser": session.organiser.strip(),
                "attendance": session.attendance,
                "by": user.username,
                "at": now or school_now(),
            },
        )
        audit.record(cur, audit.FORM_SAVED, user.username, detail=f"研習場次新增：{described}")
    return compliance(con, session.school_year)


def remove(
    con: Connection, year: int, held_on: date, kind: str, title: str | None, user: auth.User
) -> TrainingCompliance:
    """Delete a session that was entered by form; an imported one is refused (re-import instead)."""
    if not user.can("edit_records"):
        raise TrainingError({"user": "您的角色不能刪除研習場次（需註冊組、執行秘書或管理者）。"})
    key: dict[str, Any] = {"year": year, "held_on": held_on, "kind": kind, "title": title}
    described = _key_text(year, held_on, kind, title)
    with db.transaction(con) as cur:
        rows = cur.execute(
            "select trainings.import_id, imports.file_name from trainings"
            " left join imports on imports.import_id = trainings.import_id"
            " where trainings.school_year = $year and trainings.held_on = $held_on"
            " and trainings.kind = $kind and trainings.title is not distinct from $title",
            key,
        ).fetchall()
        if not rows:
            raise TrainingError({"session": f"找不到 {described}；可能已被刪除，請重新整理頁面。"})
        imported = [r for r in rows if r[0] is not None]
        if imported:
            file_name = imported[0][1] or "研習場次檔"
            raise TrainingError(
                {
                    "session": f"{described} 是由匯入檔「{file_name}」建立的，不能在這裡刪除："
                    f"請在原檔刪除這一列，再重新匯入 {year} 學年度的研習場次。"
                }
            )
        cur.execute(
            "delete from trainings where school_year = $year and held_on = $held_on and kind = $kind"
            " and title is not distinct from $title and import_id is null",
            key,
        )
        audit.record(cur, audit.FORM_DELETED, user.username, detail=f"研習場次刪除：{described}")
    return compliance(con, year)


def sessions(con: Connection, year: int) -> list[dict[str, Any]]:
    """The year's sessions by date, with 來源 表單 (entered here) or 匯入 (from a file)."""
    return [
        {
            "學年度": r["school_year"],
            "日期": r["held_on"],
            "類型": r["kind"],
            "名稱": r["title"],
            "對象": r["audience"],
            "部別": r["division"],
            "主辦單位": r["organiser"],
            "參加人數": r["attendance"],
            "來源": r["source"],
            "匯入檔案": r["file_name"],
            "登錄者": r["entered_by"],
            "登錄時間": r["entered_at"],
        }
        for r in db.query_rows(con, "training_sessions", year=year)
    ]


def minimum(con: Connection, year: int) -> int | None:
    """The rule's minimum sessions per type in `year` (a fractional rule rounds up)."""
    value = db.rule_value(con, RULE, year)
    return None if value is None else math.ceil(value)


def compliance(con: Connection, year: int) -> TrainingCompliance:
    """Sessions per type for 全校, 日間部 and 進修部 (metrics' counts) against the minimum."""
    required = minimum(con, year)
    scopes = []
    for division in (None, *metrics.DIVISIONS):
        counts: dict[str, int] = dict(metrics.year_metrics(con, year, division)["trainings"])
        missing = tuple(t for t in TYPES if required is not None and counts.get(t, 0) < required)
        scopes.append(ScopeCompliance(division, metrics.division_label(division), counts, missing))
    return TrainingCompliance(year, required, tuple(scopes))


def attendance_by_year(con: Connection) -> list[dict[str, Any]]:
    """Per 學年度 and 類型 over every year on record: 場次, 參加人數 (sum of the stated numbers,
    None when none is stated) and 未填人數場次 (sessions whose 參加人數 is empty)."""
    return [
        {
            "學年度": r["school_year"],
            "類型": r["training_kind"],
            "場次": r["session_count"],
            "參加人數": None if r["attendance_total"] is None else int(r["attendance_total"]),
            "未填人數場次": r["attendance_missing_count"],
        }
        for r in db.query_rows(con, "training_attendance_by_year")
    ]
