"""Validation of a meeting record before it is written: every problem as {form field: message}
in Traditional Chinese, and what keeps stored minutes from being confirmed. meetings.py
re-exports validate, confirm_problems and clean. This module must not import streamlit.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from dashboard import db
from dashboard.measures import targets
from dashboard.records import committee, resolutions
from dashboard.records.meeting_model import (
    ATTENDANCE,
    DECIDING_SECTIONS,
    PRESENT,
    SECTIONS,
    STATUSES,
    TOPICS,
    Item,
    Meeting,
    MeetingDraft,
    quorum,
    semester_bounds,
    session_label,
)

Connection = duckdb.DuckDBPyConnection
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")

_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def clean(text: str | None) -> str:
    """Text as stored: line breaks made plain (Word pastes \\v and \\r), other control
    characters dropped (a .docx cannot hold them), surrounding blanks removed."""
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", text or "")).strip()


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def validate(con: Connection, draft: MeetingDraft, meeting_id: int | None = None) -> dict[str, str]:
    """Every problem as {field: message}; empty when the draft may be saved."""
    p: dict[str, str] = {}
    if draft.semester not in (1, 2):
        p["semester"] = "學期只能是 1 或 2。"
    elif draft.held_on is None:
        p["held_on"] = "請填寫開會日期。"
    else:
        first, last = semester_bounds(draft.school_year, draft.semester)
        if not first <= draft.held_on <= last:
            p["held_on"] = (
                f"開會日期 {draft.held_on} 不在 {draft.school_year} 學年度第 {draft.semester} 學期"
                f"（{first}～{last}）內；請改日期或改學期。"
            )
    if draft.sequence_no < 1:
        p["sequence_no"] = "會次須為 1 以上的整數。"
    elif _sequence_taken(con, draft, meeting_id):
        p["sequence_no"] = (
            f"{session_label(draft.school_year, draft.semester, draft.sequence_no)}已經有紀錄；請改會次。"
        )
    if not _TIME.fullmatch(draft.start_time or ""):
        p["start_time"] = "請以 HH:MM 填寫開會時間，例如 14:00。"
    if draft.end_time and not _TIME.fullmatch(draft.end_time):
        p["end_time"] = "請以 HH:MM 填寫散會時間，例如 15:30。"
    elif draft.end_time and "start_time" not in p and draft.end_time <= draft.start_time:
        p["end_time"] = f"散會時間 {draft.end_time} 須晚於開會時間 {draft.start_time}。"
    for name, label in (("place", "地點"), ("chair", "主席"), ("recorder", "紀錄")):
        if _blank(getattr(draft, name)):
            p[name] = f"請填寫{label}。"
    _validate_attendance(draft, p)
    for i, guest in enumerate(draft.guests):
        if _blank(guest.name):
            p[f"guests.{i}.name"] = f"列席第 {i + 1} 位：請填寫姓名，或刪除這一列。"
    present = sum(1 for a in draft.attendance if a.attendance in PRESENT)
    for i, item in enumerate(draft.items):
        _validate_item(draft, i, item, present, p)
    known = {r.item_id for r in _open_items_for(con, draft, meeting_id)}
    if meeting_id is not None:  # what this meeting already reported stays reportable
        known |= {int(r["item_id"]) for r in db.query_rows(con, "meeting_follow_ups", meeting_id=meeting_id)}
    _validate_followed_items(con, draft, meeting_id, p)
    for f in draft.follow_ups:
        if f.status not in STATUSES:
            p[f"follow_ups.{f.item_id}"] = f"執行情形「{f.status}」不是 {'、'.join(STATUSES)} 之一。"
        elif f.item_id not in known:
            p[f"follow_ups.{f.item_id}"] = "這項決議不是本次會議以前的決議，不能在此回報執行情形。"
    return p


def _validate_followed_items(
    con: Connection, draft: MeetingDraft, meeting_id: int | None, p: dict[str, str]
) -> None:
    """A 決議 that later meetings already reported on cannot be removed or emptied: their
    minutes (perhaps confirmed and locked) would lose a row of 上次會議決議執行情形."""
    if meeting_id is None:
        return
    followed = {
        int(r["item_id"]): r["reported_in"]
        for r in db.query_rows(con, "meeting_items_followed_elsewhere", meeting_id=meeting_id)
    }
    if not followed:
        return
    kept = {item.item_id: (i, item) for i, item in enumerate(draft.items) if item.item_id is not None}
    for item_id, reported_in in followed.items():
        if item_id not in kept:
            p[f"removed.{item_id}"] = (
                f"已刪除的一案在{reported_in}已追蹤執行情形，不能刪除；請改寫內容或將執行情形標為已完成。"
            )
            continue
        i, item = kept[item_id]
        if item.section not in DECIDING_SECTIONS or _blank(item.decision):
            p[f"items.{i}.decision"] = (
                f"「{item.title}」的決議已在{reported_in}追蹤執行情形，不能清空或改為報告事項。"
            )


def _sequence_taken(con: Connection, draft: MeetingDraft, meeting_id: int | None) -> bool:
    cur = con.cursor()
    try:
        row = cur.execute(
            "select count(*) from meetings where school_year = $y and semester = $s and sequence_no = $n"
            " and meeting_id is distinct from $id",
            {"y": draft.school_year, "s": draft.semester, "n": draft.sequence_no, "id": meeting_id},
        ).fetchone()
    finally:
        cur.close()
    return bool(row and row[0])


def _open_items_for(con: Connection, draft: MeetingDraft, meeting_id: int | None) -> list[Any]:
    if draft.held_on is None:
        return []
    return resolutions.open_before(con, draft.held_on, exclude_meeting=meeting_id)


def _validate_attendance(draft: MeetingDraft, p: dict[str, str]) -> None:
    seats = [a.seat_no for a in draft.attendance]
    if sorted(seats) != [s.seat_no for s in committee.SEATS]:
        p["attendance"] = f"出席名單須列出工作小組全部 {committee.SEAT_COUNT} 個席次，每席一列。"
        return
    for a in draft.attendance:
        seat = committee.SEAT_BY_NO[a.seat_no]
        key = f"attendance.{a.seat_no}"
        if a.attendance not in ATTENDANCE:
            p[key] = f"{seat.name}：出席情形須為 {'、'.join(ATTENDANCE)} 之一。"
        elif _blank(a.person_name):
            p[key] = f"{seat.name}：尚無人選；請先在「工作小組名冊」補齊，或在此填寫姓名。"
        elif a.attendance == "代理" and _blank(a.deputy_name):
            p[key] = f"{seat.name}：出席情形為「代理」，請填寫代理人姓名。"


def _validate_item(draft: MeetingDraft, i: int, item: Item, present: int, p: dict[str, str]) -> None:
    key = f"items.{i}"
    label = f"{item.section}第 {i + 1} 案" if item.section in SECTIONS else f"第 {i + 1} 案"
    if item.section not in SECTIONS:
        p[f"{key}.section"] = f"第 {i + 1} 案：類別須為 {'、'.join(SECTIONS)} 之一。"
    if _blank(item.title):
        p[f"{key}.title"] = f"{label}：請填寫{'案由' if item.section in DECIDING_SECTIONS else '報告主題'}。"
    if not item.topics:
        p[f"{key}.topics"] = f"{label}：請至少勾選一項第四點工作事項。"
    elif any(t not in TOPICS for t in item.topics):
        p[f"{key}.topics"] = f"{label}：工作事項須為第四點所列六項之一。"
    votes = [v for v in (item.votes_for, item.votes_against, item.votes_abstain) if v is not None]
    if any(v < 0 for v in votes):
        p[f"{key}.votes"] = f"{label}：票數不能是負數。"
    elif sum(votes) > present:
        p[f"{key}.votes"] = f"{label}：贊成、反對、棄權合計 {sum(votes)} 票，多於出席的 {present} 人。"
    if item.due_date is not None and draft.held_on is not None and item.due_date < draft.held_on:
        p[f"{key}.due_date"] = f"{label}：執行期限 {item.due_date} 早於開會日期 {draft.held_on}。"
    if (item.due_date is not None or item.metric_key) and _blank(item.owner_unit):
        p[f"{key}.owner_unit"] = f"{label}：有執行期限或追蹤指標的決議，請填寫負責單位。"
    if item.metric_key:
        if item.metric_key not in targets.METRICS:
            p[f"{key}.metric"] = f"{label}：指標「{item.metric_key}」不存在。"
        elif item.metric_target is None or not 0 < item.metric_target <= 1:
            p[f"{key}.metric"] = f"{label}：請填寫追蹤目標值（百分比，介於 0 與 100 之間）。"
        elif item.metric_year is None or (
            item.metric_key != "selection_rate" and item.metric_semester not in (1, 2)
        ):
            p[f"{key}.metric"] = f"{label}：請選擇追蹤指標的學期。"


def confirm_problems(con: Connection, meeting: Meeting) -> dict[str, str]:
    """What keeps stored minutes from being confirmed."""
    p: dict[str, str] = {}
    if not meeting.end_time:
        p["end_time"] = "確認前請填寫散會時間。"
    q = quorum(con, meeting.school_year, meeting.attendance)
    if not q.met:
        p["quorum"] = (
            f"出席 {q.present} 人，未達法定人數 {q.required} 人（全體 {q.seats} 席過半數），"
            "會議不能作成決議。"
        )
    for i, item in enumerate(meeting.items):
        if item.section in DECIDING_SECTIONS and _blank(item.decision):
            p[f"items.{i}.decision"] = f"{item.section}「{item.title}」尚未填寫決議。"
    return p
