"""Working-group meeting records (Art. 4): the 會議紀錄 with attendance, agenda items tagged
with the six Art. 4 topics, and 決議 that carry an owner, a due date and a linked target.

This is the module callers use; it holds the lifecycle of a record: save, confirm, unlock.
Every save is validated first (meeting_rules.py: Chinese messages keyed by form field) and
written in one transaction. A save names the version it was edited from; when someone else saved
in between, it is refused with StaleMeetingError and nothing is written. Confirmed minutes are
locked until they are explicitly unlocked, with a reason that is logged. The data types live in
meeting_model.py, reading a meeting back (load, as_draft, the list, the event log, a blank
draft) in meeting_reads.py; both are re-exported here. resolutions.py holds the follow-up and
compliance side. This module must not import streamlit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import duckdb

from dashboard import audit, auth, db
from dashboard.formatting import roc_datetime
from dashboard.records.meeting_model import (
    ATTENDANCE,
    CONFIRMED,
    DECIDING_SECTIONS,
    DEFAULT_QUORUM_SHARE,
    DRAFT,
    PRESENT,
    SECTIONS,
    STATUSES,
    TOPICS,
    Attendance,
    FollowUp,
    Guest,
    Item,
    LockedMeetingError,
    Meeting,
    MeetingDraft,
    MeetingError,
    Quorum,
    StaleMeetingError,
    next_sequence_no,
    quorum,
    semester_bounds,
    semester_of,
    session_label,
)
from dashboard.records.meeting_reads import as_draft, blank_draft, events, list_meetings, load
from dashboard.records.meeting_rules import clean, confirm_problems, validate
from dashboard.school_calendar import school_now

__all__ = [
    "ATTENDANCE",
    "CONFIRMED",
    "DECIDING_SECTIONS",
    "DEFAULT_QUORUM_SHARE",
    "DRAFT",
    "PRESENT",
    "SECTIONS",
    "STATUSES",
    "TOPICS",
    "Attendance",
    "FollowUp",
    "Guest",
    "Item",
    "LockedMeetingError",
    "Meeting",
    "MeetingDraft",
    "MeetingError",
    "Quorum",
    "StaleMeetingError",
    "as_draft",
    "blank_draft",
    "clean",
    "confirm",
    "confirm_problems",
    "events",
    "list_meetings",
    "load",
    "next_sequence_no",
    "quorum",
    "save",
    "semester_bounds",
    "semester_of",
    "session_label",
    "unlock",
    "validate",
]

Connection = duckdb.DuckDBPyConnection


# --- writing ----------------------------------------------------------------------------


def _event(
    cur: Connection, meeting_id: int, action: str, version: int, by: str, at: datetime, reason: str = ""
) -> None:
    cur.execute(
        "insert into meeting_events values ($id, $action, $version, $reason, $by, $at)",
        {
            "id": meeting_id,
            "action": action,
            "version": version,
            "reason": reason or None,
            "by": by,
            "at": at,
        },
    )
    label = cur.execute(
        "select session_label from meetings where meeting_id = $id", {"id": meeting_id}
    ).fetchall()
    named = label[0][0] if label else f"編號 {meeting_id}"
    kind = audit.CONFIRMED if action in ("確認", "解除鎖定") else audit.FORM_SAVED
    because = f"；理由：{reason}" if reason else ""
    audit.record(cur, kind, by, detail=f"會議紀錄 {named}：{action}（第 {version} 版）{because}", at=at)


def _current(cur: Connection, meeting_id: int) -> tuple[str, int, str, datetime | None]:
    row = cur.execute(
        "select status, version, coalesce(users.display_name, updated_by, created_by), updated_at"
        " from meetings left join users on coalesce(updated_by, created_by) = users.username"
        " where meeting_id = $id",
        {"id": meeting_id},
    ).fetchone()
    if row is None:
        raise MeetingError({"meeting": "找不到這場會議；可能已被刪除，請回到會議列表。"})
    return row[0], int(row[1]), row[2] or "", row[3]


def _stale(by: str, at: datetime | None, version: int, expected: int | None) -> StaleMeetingError:
    when = "" if at is None else f"於 {roc_datetime(at)} "
    return StaleMeetingError(
        {
            "version": f"這份會議紀錄已由 {by} {when}更新為第 {version} 版，您開啟的是第 {expected} 版；"
            "為免覆蓋對方的修改，這次沒有儲存。您填寫的內容仍在表單上：請重新載入最新版本後再修改。"
        }
    )


def _check_version(cur: Connection, meeting_id: int, expected: int | None, locked_ok: bool = False) -> int:
    status, version, by, at = _current(cur, meeting_id)
    if expected is not None and version != expected:
        raise _stale(by, at, version, expected)
    if status == CONFIRMED and not locked_ok:
        raise LockedMeetingError({"locked": "這份會議紀錄已確認並鎖定；如需修改，請執行秘書先解除鎖定。"})
    return version


@contextmanager
def _writing(con: Connection, meeting_id: int | None, expected: int | None) -> Iterator[Connection]:
    """One transaction for one write. When another save of the same meeting commits in the same
    instant, DuckDB refuses the later one with a conflict: that is the same "someone else saved
    first" as a stale version, said the same way, and the input stays on the form."""
    try:
        with db.transaction(con) as cur:
            yield cur
    except duckdb.TransactionException:
        if meeting_id is None:
            raise MeetingError(
                {
                    "meeting": "另一位使用者同時在儲存會議紀錄，這次沒有儲存；"
                    "您填寫的內容仍在表單上，請再按一次儲存。"
                }
            ) from None
        cur = con.cursor()
        try:
            _status, version, by, at = _current(cur, meeting_id)
        finally:
            cur.close()
        raise _stale(by, at, version, expected) from None


def save(
    con: Connection,
    draft: MeetingDraft,
    user: auth.User,
    meeting_id: int | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Create (meeting_id None) or update a meeting in one transaction and return it as stored."""
    if not user.can("edit_meetings"):
        raise MeetingError({"user": "您的角色不能編輯會議紀錄（需執行秘書或管理者）。"})
    if meeting_id is not None and expected_version is None:
        raise MeetingError({"version": "修改會議紀錄時須註明所依據的版本。"})
    problems = validate(con, draft, meeting_id)
    if problems:
        raise MeetingError(problems)
    at = now or school_now()
    fields = {
        "year": draft.school_year,
        "semester": draft.semester,
        "no": draft.sequence_no,
        "label": session_label(draft.school_year, draft.semester, draft.sequence_no),
        "held_on": draft.held_on,
        "start": draft.start_time,
        "end": draft.end_time or None,
        "place": clean(draft.place),
        "chair": clean(draft.chair),
        "recorder": clean(draft.recorder),
        "by": user.username,
        "at": at,
    }
    with _writing(con, meeting_id, expected_version) as cur:
        if meeting_id is None:
            row = cur.execute(
                "insert into meetings (school_year, semester, session_label, held_on, place, created_at,"
                " sequence_no, start_time, end_time, chair, recorder, status, version, created_by,"
                " updated_at, updated_by) values ($year, $semester, $label, $held_on, $place, $at, $no,"
                " $start, $end, $chair, $recorder, '草稿', 1, $by, $at, $by) returning meeting_id",
                fields,
            ).fetchone()
            assert row is not None  # insert … returning always yields the row
            meeting_id, version, action = int(row[0]), 1, "建立"
        else:
            version = _check_version(cur, meeting_id, expected_version) + 1
            cur.execute(
                "update meetings set school_year = $year, semester = $semester, sequence_no = $no,"
                " session_label = $label, held_on = $held_on, start_time = $start, end_time = $end,"
                " place = $place, chair = $chair, recorder = $recorder, version = $version,"
                " updated_at = $at, updated_by = $by where meeting_id = $id",
                {**fields, "version": version, "id": meeting_id},
            )
            action = "修改"
        _write_children(cur, meeting_id, draft, user.username, at)
        _event(cur, meeting_id, action, version, user.username, at)
    return load(con, meeting_id)


def _write_children(cur: Connection, meeting_id: int, draft: MeetingDraft, by: str, at: datetime) -> None:
    ids = {"id": meeting_id}
    cur.execute("delete from meeting_attendance where meeting_id = $id", ids)
    for a in draft.attendance:
        cur.execute(
            "insert into meeting_attendance values ($id, $seat, $name, $att, $deputy)",
            {
                **ids,
                "seat": a.seat_no,
                "name": clean(a.person_name),
                "att": a.attendance,
                "deputy": clean(a.deputy_name) if a.attendance == "代理" else None,
            },
        )
    cur.execute("delete from meeting_guests where meeting_id = $id", ids)
    for i, g in enumerate(draft.guests):
        cur.execute(
            "insert into meeting_guests values ($id, $pos, $name, $title)",
            {**ids, "pos": i + 1, "name": clean(g.name), "title": clean(g.title) or None},
        )
    kept = [item.item_id for item in draft.items if item.item_id is not None]
    removed = [
        r[0]
        for r in cur.execute("select item_id from meeting_items where meeting_id = $id", ids).fetchall()
        if r[0] not in kept
    ]
    for item_id in removed:
        cur.execute("delete from resolution_updates where item_id = $item", {"item": item_id})
        cur.execute("delete from meeting_items where item_id = $item", {"item": item_id})
    for i, item in enumerate(draft.items):
        values = _item_values(item, meeting_id, i + 1)
        if item.item_id is None:
            cur.execute(
                "insert into meeting_items (meeting_id, section, position, title, explanation, decision,"
                " topics, votes_for, votes_against, votes_abstain, owner_unit, due_date, metric_key,"
                " metric_year, metric_semester, metric_target) values ($id, $section, $pos, $title,"
                " $explanation, $decision, $topics, $for, $against, $abstain, $owner, $due, $metric,"
                " $metric_year, $metric_semester, $metric_target)",
                values,
            )
        else:
            cur.execute(
                "update meeting_items set section = $section, position = $pos, title = $title,"
                " explanation = $explanation, decision = $decision, topics = $topics, votes_for = $for,"
                " votes_against = $against, votes_abstain = $abstain, owner_unit = $owner, due_date = $due,"
                " metric_key = $metric, metric_year = $metric_year, metric_semester = $metric_semester,"
                " metric_target = $metric_target where item_id = $item and meeting_id = $id",
                {**values, "item": item.item_id},
            )
    # A report keeps the moment it was first made: correcting the minutes later must not make
    # it newer than what was recorded since.
    first_made = {
        int(r[0]): (r[1], r[2])
        for r in cur.execute(
            "select item_id, updated_by, updated_at from resolution_updates where meeting_id = $id", ids
        ).fetchall()
    }
    cur.execute("delete from resolution_updates where meeting_id = $id", ids)
    for f in draft.follow_ups:
        made_by, made_at = first_made.get(f.item_id, (by, at))
        cur.execute(
            "insert into resolution_updates (item_id, meeting_id, status, note, updated_by, updated_at)"
            " values ($item, $id, $status, $note, $by, $at)",
            {
                **ids,
                "item": f.item_id,
                "status": f.status,
                "note": clean(f.note) or None,
                "by": made_by,
                "at": made_at,
            },
        )


def _item_values(item: Item, meeting_id: int, position: int) -> dict[str, Any]:
    deciding = item.section in DECIDING_SECTIONS
    tracked = deciding and bool(item.metric_key)
    return {
        "id": meeting_id,
        "section": item.section,
        "pos": position,
        "title": clean(item.title),
        "explanation": clean(item.explanation) or None,
        "decision": clean(item.decision) or None,
        "topics": [t for t in TOPICS if t in item.topics],
        "for": item.votes_for if deciding else None,
        "against": item.votes_against if deciding else None,
        "abstain": item.votes_abstain if deciding else None,
        "owner": clean(item.owner_unit) or None,
        "due": item.due_date,
        "metric": item.metric_key if tracked else None,
        "metric_year": item.metric_year if tracked else None,
        "metric_semester": item.metric_semester if tracked and item.metric_key != "selection_rate" else None,
        "metric_target": item.metric_target if tracked else None,
    }


def confirm(
    con: Connection, meeting_id: int, user: auth.User, expected_version: int, now: datetime | None = None
) -> Meeting:
    """The 執行秘書 confirms the minutes, which locks them."""
    if not user.can("confirm_minutes"):
        raise MeetingError({"user": "只有執行秘書（或管理者）能確認會議紀錄。"})
    problems = confirm_problems(con, load(con, meeting_id))
    if problems:
        raise MeetingError(problems)
    at = now or school_now()
    with _writing(con, meeting_id, expected_version) as cur:
        version = _check_version(cur, meeting_id, expected_version) + 1
        cur.execute(
            "update meetings set status = '已確認', version = $v, confirmed_at = $at, confirmed_by = $by"
            " where meeting_id = $id",
            {"v": version, "at": at, "by": user.username, "id": meeting_id},
        )
        _event(cur, meeting_id, "確認", version, user.username, at)
    return load(con, meeting_id)


def unlock(
    con: Connection,
    meeting_id: int,
    user: auth.User,
    reason: str,
    expected_version: int,
    now: datetime | None = None,
) -> Meeting:
    """Unlock confirmed minutes for a correction; the reason is logged."""
    if not user.can("confirm_minutes"):
        raise MeetingError({"user": "只有執行秘書（或管理者）能解除會議紀錄的鎖定。"})
    if not clean(reason):
        raise MeetingError({"reason": "請說明解除鎖定的原因（例如：更正決議文字），這會記錄下來。"})
    at = now or school_now()
    with _writing(con, meeting_id, expected_version) as cur:
        version = _check_version(cur, meeting_id, expected_version, locked_ok=True)
        status = _current(cur, meeting_id)[0]
        if status != CONFIRMED:
            raise MeetingError({"locked": "這份會議紀錄尚未確認，沒有鎖定可以解除。"})
        cur.execute(
            "update meetings set status = '草稿', version = $v, confirmed_at = null, confirmed_by = null"
            " where meeting_id = $id",
            {"v": version + 1, "id": meeting_id},
        )
        _event(cur, meeting_id, "解除鎖定", version + 1, user.username, at, clean(reason))
    return load(con, meeting_id)
