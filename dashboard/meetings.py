"""Working-group meeting records (Art. 4): the 會議紀錄 with attendance, agenda items tagged
with the six Art. 4 topics, and 決議 that carry an owner, a due date and a linked target.

Every save is validated here first (Chinese messages keyed by form field) and written in one
transaction. A save names the version it was edited from; when someone else saved in between,
it is refused with StaleMeetingError and nothing is written. Confirmed minutes are locked until
they are explicitly unlocked, with a reason that is logged. This module must not import
streamlit; resolutions.py holds the follow-up and compliance side.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import duckdb

from dashboard import auth, committee, db, targets

Connection = duckdb.DuckDBPyConnection

SECTIONS: tuple[str, ...] = ("報告事項", "討論事項", "臨時動議")
DECIDING_SECTIONS: frozenset[str] = frozenset({"討論事項", "臨時動議"})  # these carry a 決議
TOPICS: tuple[str, ...] = (
    "作業期程及分工權責",
    "資料建置方式",
    "平臺運作及管理",
    "學生訓練教師研習及親師說明會",
    "成效評核及獎勵",
    "其他推動及宣導事項",
)
ATTENDANCE: tuple[str, ...] = ("出席", "請假", "缺席", "代理")
PRESENT: frozenset[str] = frozenset({"出席", "代理"})
STATUSES: tuple[str, ...] = ("未執行", "執行中", "已完成")
DRAFT, CONFIRMED = "草稿", "已確認"
DEFAULT_QUORUM_SHARE = 0.5
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


@dataclass
class Attendance:
    seat_no: int
    person_name: str
    attendance: str  # one of ATTENDANCE
    deputy_name: str = ""


@dataclass
class Guest:
    name: str
    title: str = ""


@dataclass
class Item:
    section: str
    title: str  # 報告主題 / 案由
    explanation: str = ""  # 說明
    decision: str = ""  # 決定 / 決議
    topics: list[str] = field(default_factory=list)
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    owner_unit: str = ""
    due_date: date | None = None
    metric_key: str = ""  # a targets.METRICS key, or ""
    metric_year: int | None = None
    metric_semester: int | None = None  # None for a per-year metric (selection_rate)
    metric_target: float | None = None  # a share, 0.95
    item_id: int | None = None  # None until stored; kept across edits


@dataclass
class FollowUp:
    """One open 決議 of an earlier meeting as this meeting's 上次會議決議執行情形 reports it."""

    item_id: int
    status: str
    note: str = ""


@dataclass
class MeetingDraft:
    """What the form holds: every field of a 會議紀錄."""

    school_year: int
    semester: int
    sequence_no: int
    held_on: date | None
    start_time: str  # HH:MM
    end_time: str  # 散會 HH:MM; may stay empty until the minutes are confirmed
    place: str
    chair: str
    recorder: str
    attendance: list[Attendance]
    guests: list[Guest] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)


@dataclass
class Meeting(MeetingDraft):
    meeting_id: int = 0
    session_label: str = ""
    status: str = DRAFT
    version: int = 1
    created_by: str = ""
    updated_by: str = ""
    updated_at: datetime | None = None
    confirmed_by: str | None = None
    confirmed_at: datetime | None = None

    @property
    def locked(self) -> bool:
        return self.status == CONFIRMED


@dataclass(frozen=True)
class Quorum:
    seats: int
    present: int
    required: int  # the smallest count that is more than `share` of the seats

    @property
    def met(self) -> bool:
        return self.present >= self.required


class MeetingError(ValueError):
    """A refused save: `problems` maps a form field (held_on, items.2.title, …) to a message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class StaleMeetingError(MeetingError):
    """Someone saved the meeting after this form was opened; nothing was written."""


class LockedMeetingError(MeetingError):
    """The minutes are confirmed; unlock them first."""


def session_label(year: int, semester: int, sequence_no: int) -> str:
    return f"{year}學年度第{semester}學期第{sequence_no}次工作小組會議"


def semester_bounds(year: int, semester: int) -> tuple[date, date]:
    """metrics.md: semester 1 = 1 Aug – 31 Jan, semester 2 = 1 Feb – 31 Jul."""
    if semester == 1:
        return date(year + 1911, 8, 1), date(year + 1912, 1, 31)
    return date(year + 1912, 2, 1), date(year + 1912, 7, 31)


def semester_of(day: date) -> tuple[int, int]:
    if day.month >= 8:
        return day.year - 1911, 1
    if day.month == 1:
        return day.year - 1912, 1
    return day.year - 1912, 2


def quorum(con: Connection, year: int, attendance: list[Attendance]) -> Quorum:
    """More than half of the seats present (出席 or 代理); the share is the stored rule."""
    share = db.rule_value(con, "meeting_quorum_share", year) or DEFAULT_QUORUM_SHARE
    seats = committee.SEAT_COUNT
    present = sum(1 for a in attendance if a.attendance in PRESENT)
    return Quorum(seats=seats, present=present, required=math.floor(seats * share) + 1)


def next_sequence_no(con: Connection, year: int, semester: int) -> int:
    cur = con.cursor()
    try:
        row = cur.execute(
            "select coalesce(max(sequence_no), 0) from meetings where school_year = $y and semester = $s",
            {"y": year, "s": semester},
        ).fetchone()
    finally:
        cur.close()
    return int(row[0] if row else 0) + 1


def blank_draft(con: Connection, year: int, semester: int, held_on: date | None = None) -> MeetingDraft:
    """A new meeting: the next 會次, the roster's holders all 出席, the 召集人 as chair, and the
    open resolutions of earlier meetings as 上次會議決議執行情形."""
    from dashboard import resolutions  # resolutions imports this module

    day = held_on or semester_bounds(year, semester)[0]
    holders = committee.holders_on(con, year, day)
    attendance = [
        Attendance(seat.seat_no, holders[seat.seat_no].person_name if seat.seat_no in holders else "", "出席")
        for seat in committee.SEATS
    ]
    chair = holders.get(committee.CHAIR_SEAT)
    return MeetingDraft(
        school_year=year,
        semester=semester,
        sequence_no=next_sequence_no(con, year, semester),
        held_on=held_on,
        start_time="14:00",
        end_time="",
        place="",
        chair=chair.person_name if chair else "",
        recorder="",
        attendance=attendance,
        follow_ups=[
            FollowUp(r.item_id, r.status, r.note)
            for r in resolutions.open_before(con, day, exclude_meeting=None)
        ],
    )


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
    for f in draft.follow_ups:
        if f.status not in STATUSES:
            p[f"follow_ups.{f.item_id}"] = f"執行情形「{f.status}」不是 {'、'.join(STATUSES)} 之一。"
        elif f.item_id not in known:
            p[f"follow_ups.{f.item_id}"] = "這項決議不是本次會議以前的決議，不能在此回報執行情形。"
    return p


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
    from dashboard import resolutions

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


def _current(cur: Connection, meeting_id: int) -> tuple[str, int, str, datetime | None]:
    row = cur.execute(
        "select status, version, coalesce(updated_by, created_by), updated_at"
        " from meetings where meeting_id = $id",
        {"id": meeting_id},
    ).fetchone()
    if row is None:
        raise MeetingError({"meeting": "找不到這場會議；可能已被刪除，請回到會議列表。"})
    return row[0], int(row[1]), row[2] or "", row[3]


def _check_version(cur: Connection, meeting_id: int, expected: int | None, locked_ok: bool = False) -> int:
    status, version, by, at = _current(cur, meeting_id)
    if expected is not None and version != expected:
        when = "" if at is None else f"於 {at:%m/%d %H:%M} "
        raise StaleMeetingError(
            {
                "version": f"這份會議紀錄已由 {by} {when}更新為第 {version} 版，您開啟的是第 {expected} 版；"
                "為免覆蓋對方的修改，這次沒有儲存。您填寫的內容仍在表單上：請重新載入最新版本後再修改。"
            }
        )
    if status == CONFIRMED and not locked_ok:
        raise LockedMeetingError({"locked": "這份會議紀錄已確認並鎖定；如需修改，請執行秘書先解除鎖定。"})
    return version


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
    at = now or datetime.now()
    fields = {
        "year": draft.school_year,
        "semester": draft.semester,
        "no": draft.sequence_no,
        "label": session_label(draft.school_year, draft.semester, draft.sequence_no),
        "held_on": draft.held_on,
        "start": draft.start_time,
        "end": draft.end_time or None,
        "place": draft.place.strip(),
        "chair": draft.chair.strip(),
        "recorder": draft.recorder.strip(),
        "by": user.username,
        "at": at,
    }
    with db.transaction(con) as cur:
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
                "name": a.person_name.strip(),
                "att": a.attendance,
                "deputy": a.deputy_name.strip() if a.attendance == "代理" else None,
            },
        )
    cur.execute("delete from meeting_guests where meeting_id = $id", ids)
    for i, g in enumerate(draft.guests):
        cur.execute(
            "insert into meeting_guests values ($id, $pos, $name, $title)",
            {**ids, "pos": i + 1, "name": g.name.strip(), "title": g.title.strip() or None},
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
    cur.execute("delete from resolution_updates where meeting_id = $id", ids)
    for f in draft.follow_ups:
        cur.execute(
            "insert into resolution_updates (item_id, meeting_id, status, note, updated_by, updated_at)"
            " values ($item, $id, $status, $note, $by, $at)",
            {
                **ids,
                "item": f.item_id,
                "status": f.status,
                "note": f.note.strip() or None,
                "by": by,
                "at": at,
            },
        )


def _item_values(item: Item, meeting_id: int, position: int) -> dict[str, Any]:
    deciding = item.section in DECIDING_SECTIONS
    tracked = deciding and bool(item.metric_key)
    return {
        "id": meeting_id,
        "section": item.section,
        "pos": position,
        "title": item.title.strip(),
        "explanation": item.explanation.strip() or None,
        "decision": item.decision.strip() or None,
        "topics": [t for t in TOPICS if t in item.topics],
        "for": item.votes_for if deciding else None,
        "against": item.votes_against if deciding else None,
        "abstain": item.votes_abstain if deciding else None,
        "owner": item.owner_unit.strip() or None,
        "due": item.due_date,
        "metric": item.metric_key if tracked else None,
        "metric_year": item.metric_year if tracked else None,
        "metric_semester": item.metric_semester if tracked and item.metric_key != "selection_rate" else None,
        "metric_target": item.metric_target if tracked else None,
    }


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


def confirm(
    con: Connection, meeting_id: int, user: auth.User, expected_version: int, now: datetime | None = None
) -> Meeting:
    """The 執行秘書 confirms the minutes, which locks them."""
    if not user.can("confirm_minutes"):
        raise MeetingError({"user": "只有執行秘書（或管理者）能確認會議紀錄。"})
    problems = confirm_problems(con, load(con, meeting_id))
    if problems:
        raise MeetingError(problems)
    at = now or datetime.now()
    with db.transaction(con) as cur:
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
    if _blank(reason):
        raise MeetingError({"reason": "請說明解除鎖定的原因（例如：更正決議文字），這會記錄下來。"})
    at = now or datetime.now()
    with db.transaction(con) as cur:
        version = _check_version(cur, meeting_id, expected_version, locked_ok=True)
        status = _current(cur, meeting_id)[0]
        if status != CONFIRMED:
            raise MeetingError({"locked": "這份會議紀錄尚未確認，沒有鎖定可以解除。"})
        cur.execute(
            "update meetings set status = '草稿', version = $v, confirmed_at = null, confirmed_by = null"
            " where meeting_id = $id",
            {"v": version + 1, "id": meeting_id},
        )
        _event(cur, meeting_id, "解除鎖定", version + 1, user.username, at, reason.strip())
    return load(con, meeting_id)


# --- reading ----------------------------------------------------------------------------


def load(con: Connection, meeting_id: int) -> Meeting:
    rows = db.query_rows(con, "meeting_record", meeting_id=meeting_id)
    if not rows:
        raise MeetingError({"meeting": "找不到這場會議；可能已被刪除，請回到會議列表。"})
    m = rows[0]
    attendance = [
        Attendance(int(r["seat_no"]), r["person_name"], r["attendance"], r["deputy_name"] or "")
        for r in db.query_rows(con, "meeting_attendance_list", meeting_id=meeting_id)
    ]
    guests = [
        Guest(r["guest_name"], r["guest_title"] or "")
        for r in db.query_rows(con, "meeting_guest_list", meeting_id=meeting_id)
    ]
    items = [
        Item(
            section=r["section"],
            title=r["title"],
            explanation=r["explanation"] or "",
            decision=r["decision"] or "",
            topics=list(r["topics"] or []),
            votes_for=r["votes_for"],
            votes_against=r["votes_against"],
            votes_abstain=r["votes_abstain"],
            owner_unit=r["owner_unit"] or "",
            due_date=r["due_date"],
            metric_key=r["metric_key"] or "",
            metric_year=r["metric_year"],
            metric_semester=r["metric_semester"],
            metric_target=r["metric_target"],
            item_id=int(r["item_id"]),
        )
        for r in db.query_rows(con, "meeting_item_list", meeting_id=meeting_id)
    ]
    follow_ups = [
        FollowUp(int(r["item_id"]), r["status"], r["note"] or "")
        for r in db.query_rows(con, "meeting_follow_ups", meeting_id=meeting_id)
    ]
    return Meeting(
        school_year=int(m["school_year"]),
        semester=int(m["semester"]),
        sequence_no=int(m["sequence_no"] or 0),
        held_on=m["held_on"],
        start_time=m["start_time"] or "",
        end_time=m["end_time"] or "",
        place=m["place"] or "",
        chair=m["chair"] or "",
        recorder=m["recorder"] or "",
        attendance=attendance,
        guests=guests,
        items=items,
        follow_ups=follow_ups,
        meeting_id=int(m["meeting_id"]),
        session_label=m["session_label"],
        status=m["status"],
        version=int(m["version"]),
        created_by=m["created_by"] or "",
        updated_by=m["updated_by"] or "",
        updated_at=m["updated_at"],
        confirmed_by=m["confirmed_by"],
        confirmed_at=m["confirmed_at"],
    )


def as_draft(meeting: Meeting) -> MeetingDraft:
    """The editable part of a stored meeting (copies, so a form never changes the original)."""
    return MeetingDraft(
        school_year=meeting.school_year,
        semester=meeting.semester,
        sequence_no=meeting.sequence_no,
        held_on=meeting.held_on,
        start_time=meeting.start_time,
        end_time=meeting.end_time,
        place=meeting.place,
        chair=meeting.chair,
        recorder=meeting.recorder,
        attendance=[replace(a) for a in meeting.attendance],
        guests=[replace(g) for g in meeting.guests],
        items=[replace(i, topics=list(i.topics)) for i in meeting.items],
        follow_ups=[replace(f) for f in meeting.follow_ups],
    )


def list_meetings(con: Connection, year: int | None = None) -> list[dict[str, Any]]:
    """Every meeting (of `year`, or all), newest first, with counts for the list."""
    return db.query_rows(con, "meetings_list", year=year)


def events(con: Connection, meeting_id: int) -> list[dict[str, Any]]:
    return db.query_rows(con, "meeting_event_log", meeting_id=meeting_id)
