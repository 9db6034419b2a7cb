"""Resolutions that follow up, and each semester's meeting compliance (Art. 4).

A resolution is a 決議 of a 討論事項 or 臨時動議. Its status (未執行 / 執行中 / 已完成, with a
note) is the newest entry of its follow-up history: reported in a later meeting's
「上次會議決議執行情形」 or updated between meetings. A resolution linked to a metric shows the
live figure beside its target. Compliance per semester: meetings held against the rule, the
Art. 4 topics decided, open and overdue resolutions. This module must not import streamlit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from dashboard import audit, auth, db
from dashboard.measures import targets, trends
from dashboard.records import meeting_model as meetings
from dashboard.school_calendar import school_now

Connection = duckdb.DuckDBPyConnection
DONE = "已完成"


@dataclass(frozen=True)
class Resolution:
    item_id: int
    meeting_id: int
    session_label: str
    held_on: date
    school_year: int
    semester: int
    section: str
    title: str
    decision: str
    topics: tuple[str, ...]
    owner_unit: str
    due_date: date | None
    metric_key: str
    metric_year: int | None
    metric_semester: int | None
    metric_target: float | None
    status: str
    note: str
    status_by: str | None
    status_at: datetime | None

    @property
    def open(self) -> bool:
        return self.status != DONE

    def overdue(self, today: date) -> bool:
        return self.open and self.due_date is not None and self.due_date < today


@dataclass(frozen=True)
class Progress:
    value: float | None
    target: float
    light: targets.Light
    period: str  # 113-2 or 113學年度


@dataclass(frozen=True)
class Compliance:
    school_year: int
    semester: int
    meeting_count: int
    required: int
    topics_decided: tuple[str, ...]
    resolution_count: int
    open_count: int
    overdue_count: int
    sessions: tuple[str, ...]

    @property
    def met(self) -> bool:
        return self.meeting_count >= self.required

    @property
    def topics_missing(self) -> tuple[str, ...]:
        return tuple(t for t in meetings.TOPICS if t not in self.topics_decided)


def all_resolutions(con: Connection, exclude_meeting: int | None = None) -> list[Resolution]:
    """Every resolution, oldest meeting first; the status ignores what meeting
    `exclude_meeting` reported (so that meeting's form shows its carry-over as it found it)."""
    return [
        db.record(Resolution, r, topics=tuple(r["topics"] or ()))
        for r in db.query_rows(con, "resolutions_list", exclude_meeting=exclude_meeting)
    ]


def open_before(con: Connection, day: date, exclude_meeting: int | None) -> list[Resolution]:
    """The open resolutions of meetings held before `day` (not counting meeting
    `exclude_meeting` itself): a meeting's 上次會議決議執行情形."""
    return [
        r
        for r in all_resolutions(con, exclude_meeting)
        if r.open and r.held_on < day and r.meeting_id != exclude_meeting
    ]


def update_status(
    con: Connection, item_id: int, status: str, note: str, user: auth.User, now: datetime | None = None
) -> Resolution:
    """Record a resolution's status between meetings (one row of its follow-up history)."""
    if not user.can("edit_meetings"):
        raise meetings.MeetingError({"user": "您的角色不能更新決議執行情形（需執行秘書或管理者）。"})
    if status not in meetings.STATUSES:
        raise meetings.MeetingError({"status": f"執行情形須為 {'、'.join(meetings.STATUSES)} 之一。"})
    known = {r.item_id: r for r in all_resolutions(con)}
    if item_id not in known:
        raise meetings.MeetingError({"item": "找不到這項決議；可能已從會議紀錄刪除。"})
    if status == DONE and not note.strip():
        raise meetings.MeetingError({"note": "標記為已完成時，請簡述執行結果。"})
    with db.transaction(con) as cur:
        cur.execute(
            "insert into resolution_updates (item_id, meeting_id, status, note, updated_by, updated_at)"
            " values ($item, null, $status, $note, $by, $at)",
            {
                "item": item_id,
                "status": status,
                "note": note.strip() or None,
                "by": user.username,
                "at": now or school_now(),
            },
        )
        audit.record(
            cur,
            audit.FORM_SAVED,
            user.username,
            detail=f"決議執行情形：{known[item_id].session_label}「{known[item_id].title}」→ {status}",
        )
    return next(r for r in all_resolutions(con) if r.item_id == item_id)


def history(con: Connection, item_id: int) -> list[dict[str, Any]]:
    return db.query_rows(con, "resolution_history", item_id=item_id)


def progress(
    r: Resolution,
    semester_figures: Callable[[int, int], dict[str, Any]],
    year_figures: Callable[[int], dict[str, Any]],
) -> Progress | None:
    """The linked metric's live figure beside the resolution's target (None when unlinked)."""
    if not r.metric_key or r.metric_target is None or r.metric_year is None:
        return None
    if r.metric_key in trends.PER_YEAR or r.metric_semester is None:
        value = trends.figure(r.metric_key, None, year_figures(r.metric_year))
        period = f"{r.metric_year}學年度"
    else:
        value = trends.figure(r.metric_key, semester_figures(r.metric_year, r.metric_semester), None)
        period = f"{r.metric_year}-{r.metric_semester}"
    return Progress(
        value=value, target=r.metric_target, light=targets.light(value, r.metric_target), period=period
    )


def compliance(con: Connection, year: int, semester: int, today: date) -> Compliance:
    """Art. 4 for one semester; `today` decides which open resolutions are overdue."""
    first, last = meetings.semester_bounds(year, semester)
    held = db.query_rows(con, "meetings_in_range", first_day=first, last_day=last)
    count = db.query_rows(con, "metrics_semester_meetings", year=year, semester=semester)[0]["meeting_count"]
    decided = {
        row["topic"] for row in db.query_rows(con, "meeting_topics_decided", first_day=first, last_day=last)
    }
    ids = {int(m["meeting_id"]) for m in held}
    made = [r for r in all_resolutions(con) if r.meeting_id in ids]
    required = db.rule_value(con, "meetings_min_per_semester", year)
    return Compliance(
        school_year=year,
        semester=semester,
        meeting_count=int(count),
        required=int(required if required is not None else 1),
        topics_decided=tuple(t for t in meetings.TOPICS if t in decided),
        resolution_count=len(made),
        open_count=sum(1 for r in made if r.open),
        overdue_count=sum(1 for r in made if r.overdue(today)),
        sessions=tuple(m["session_label"] for m in held),
    )
