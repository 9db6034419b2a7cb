"""Working-group meeting records (Art. 4), locking: confirming locks the minutes (end time,
quorum and decisions required), unlocking needs a reason and is logged with every action in the
event log, and the roles that may or may not save, confirm or unlock."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dashboard import auth
from dashboard.records import meetings
from tests.meeting_helpers import (
    ADMIN,
    NO_EDIT,
    SECRETARY,
    T0,
    YEAR,
    Con,
    at,
    attendance,
    draft,
    motion,
    report,
    snapshot,
)

# --- confirm, unlock --------------------------------------------------------------------


def test_confirm_locks_the_minutes(con: Con) -> None:
    saved = meetings.save(con, draft(), SECRETARY, now=at(0))
    assert meetings.confirm_problems(con, saved) == {}
    confirmed = meetings.confirm(con, saved.meeting_id, SECRETARY, saved.version, now=at(10))
    assert (confirmed.status, confirmed.locked, confirmed.version) == (
        meetings.CONFIRMED,
        True,
        saved.version + 1,
    )
    assert (confirmed.confirmed_by, confirmed.confirmed_at) == ("secretary", at(10))
    assert meetings.as_draft(confirmed) == meetings.as_draft(saved)  # the content is unchanged


def test_confirm_requires_the_end_time(con: Con) -> None:
    saved = meetings.save(con, draft(end_time=""), SECRETARY, now=T0)
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.confirm(con, saved.meeting_id, SECRETARY, saved.version)
    assert list(refused.value.problems) == ["end_time"]
    assert meetings.load(con, saved.meeting_id) == saved


def test_confirm_requires_the_quorum(con: Con) -> None:
    required = meetings.quorum(con, YEAR, []).required
    short = meetings.save(
        con, draft(attendance=attendance(present=required - 1), items=[report()]), SECRETARY
    )
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.confirm(con, short.meeting_id, SECRETARY, short.version)
    assert list(refused.value.problems) == ["quorum"]
    assert f"{required - 1} 人" in refused.value.problems["quorum"]
    assert meetings.load(con, short.meeting_id).status == meetings.DRAFT

    enough = meetings.save(
        con, draft(sequence_no=2, attendance=attendance(present=required), items=[report()]), SECRETARY
    )
    assert meetings.confirm(con, enough.meeting_id, SECRETARY, enough.version).locked


def test_confirm_requires_a_decision_on_every_motion(con: Con) -> None:
    items = [report(decision=""), motion(), motion(decision=" "), motion(section="臨時動議", decision="")]
    saved = meetings.save(con, draft(items=items), SECRETARY)
    problems = meetings.confirm_problems(con, saved)
    assert set(problems) == {"items.2.decision", "items.3.decision"}  # a 報告事項 needs no 決定
    with pytest.raises(meetings.MeetingError):
        meetings.confirm(con, saved.meeting_id, SECRETARY, saved.version)
    assert meetings.load(con, saved.meeting_id).status == meetings.DRAFT


def test_confirm_with_a_stale_version_is_refused(con: Con) -> None:
    saved = meetings.save(con, draft(), SECRETARY, now=at(0))
    meetings.save(con, meetings.as_draft(saved), SECRETARY, saved.meeting_id, saved.version, now=at(1))
    before = snapshot(con)
    with pytest.raises(meetings.StaleMeetingError):
        meetings.confirm(con, saved.meeting_id, SECRETARY, saved.version)
    assert snapshot(con) == before


def test_confirmed_minutes_refuse_a_save_and_a_second_confirm(con: Con) -> None:
    saved = meetings.save(con, draft(), SECRETARY, now=at(0))
    confirmed = meetings.confirm(con, saved.meeting_id, SECRETARY, saved.version, now=at(1))
    before = snapshot(con)
    with pytest.raises(meetings.LockedMeetingError) as refused:
        meetings.save(
            con,
            replace(meetings.as_draft(confirmed), place="改地點"),
            ADMIN,
            confirmed.meeting_id,
            confirmed.version,
        )
    assert list(refused.value.problems) == ["locked"]
    with pytest.raises(meetings.LockedMeetingError):
        meetings.confirm(con, confirmed.meeting_id, SECRETARY, confirmed.version)
    assert snapshot(con) == before


def test_unlock_needs_a_reason_and_a_confirmed_meeting(con: Con) -> None:
    saved = meetings.save(con, draft(), SECRETARY, now=at(0))
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.unlock(con, saved.meeting_id, SECRETARY, "更正文字", saved.version)
    assert list(refused.value.problems) == ["locked"]
    confirmed = meetings.confirm(con, saved.meeting_id, SECRETARY, saved.version, now=at(1))
    before = snapshot(con)
    for reason in ("", "   "):
        with pytest.raises(meetings.MeetingError) as refused:
            meetings.unlock(con, confirmed.meeting_id, SECRETARY, reason, confirmed.version)
        assert list(refused.value.problems) == ["reason"]
    with pytest.raises(meetings.StaleMeetingError):
        meetings.unlock(con, confirmed.meeting_id, SECRETARY, "更正文字", saved.version)
    assert snapshot(con) == before


def test_unlock_reopens_the_minutes_and_the_log_records_every_action(con: Con) -> None:
    created = meetings.save(con, draft(), SECRETARY, now=at(0))
    modified = meetings.save(
        con,
        replace(meetings.as_draft(created), place="改到圖書館"),
        SECRETARY,
        created.meeting_id,
        1,
        now=at(1),
    )
    confirmed = meetings.confirm(con, modified.meeting_id, SECRETARY, modified.version, now=at(2))
    unlocked = meetings.unlock(
        con, confirmed.meeting_id, ADMIN, "  更正決議文字  ", confirmed.version, now=at(3)
    )
    assert (unlocked.status, unlocked.locked, unlocked.version) == (
        meetings.DRAFT,
        False,
        confirmed.version + 1,
    )
    assert (unlocked.confirmed_by, unlocked.confirmed_at) == (None, None)
    fixed = meetings.save(
        con,
        replace(meetings.as_draft(unlocked), place="更正後"),
        SECRETARY,
        unlocked.meeting_id,
        unlocked.version,
        now=at(4),
    )
    assert fixed.place == "更正後"
    log = [
        (e["action"], e["version"], e["reason"], e["done_by"], e["done_at"])
        for e in meetings.events(con, fixed.meeting_id)
    ]
    assert log == [
        ("建立", 1, None, "secretary", at(0)),
        ("修改", 2, None, "secretary", at(1)),
        ("確認", 3, None, "secretary", at(2)),
        ("解除鎖定", 4, "更正決議文字", "admin", at(3)),
        ("修改", 5, None, "secretary", at(4)),
    ]
    assert fixed.version == 5


@pytest.mark.parametrize("user", NO_EDIT, ids=lambda u: u.role)
def test_a_role_without_permission_may_not_save_confirm_or_unlock(con: Con, user: auth.User) -> None:
    assert not user.can("edit_meetings") and not user.can("confirm_minutes")
    saved = meetings.save(con, draft(), SECRETARY, now=at(0))
    before = snapshot(con)
    attempts = [
        lambda: meetings.save(con, draft(sequence_no=2), user),
        lambda: meetings.save(con, meetings.as_draft(saved), user, saved.meeting_id, saved.version),
        lambda: meetings.confirm(con, saved.meeting_id, user, saved.version),
    ]
    for attempt in attempts:
        with pytest.raises(meetings.MeetingError) as refused:
            attempt()
        assert list(refused.value.problems) == ["user"]
    assert snapshot(con) == before

    confirmed = meetings.confirm(con, saved.meeting_id, SECRETARY, saved.version, now=at(1))
    before = snapshot(con)
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.unlock(con, confirmed.meeting_id, user, "想修改", confirmed.version)
    assert list(refused.value.problems) == ["user"]
    assert snapshot(con) == before


def test_the_administrator_may_confirm_and_unlock(con: Con) -> None:
    saved = meetings.save(con, draft(), ADMIN, now=at(0))
    confirmed = meetings.confirm(con, saved.meeting_id, ADMIN, saved.version, now=at(1))
    assert confirmed.confirmed_by == "admin"
    assert not meetings.unlock(con, saved.meeting_id, ADMIN, "更正", confirmed.version, now=at(2)).locked
