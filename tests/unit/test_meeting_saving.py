"""Working-group meeting records (Art. 4), saving: version 1 and every later version, what is
stored of each item and seat, a stale save refused, items kept or removed with their follow-ups,
and one-transaction writes that leave nothing behind when they fail."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import pytest

from dashboard.records import meetings, resolutions
from dashboard.records.meetings import FollowUp
from tests.meeting_helpers import (
    ADMIN,
    HELD,
    SECRETARY,
    SEM,
    T0,
    YEAR,
    Con,
    at,
    attendance,
    draft,
    draft_on,
    motion,
    report,
    save_on,
    snapshot,
)

# --- save -------------------------------------------------------------------------------


def test_save_creates_version_1_with_the_session_label(con: Con) -> None:
    d = draft()
    saved = meetings.save(con, d, SECRETARY, now=T0)
    assert saved.session_label == f"{YEAR}學年度第{SEM}學期第{d.sequence_no}次工作小組會議"
    assert (saved.version, saved.status, saved.locked) == (1, meetings.DRAFT, False)
    assert (saved.created_by, saved.updated_by, saved.updated_at) == ("secretary", "secretary", T0)
    assert saved == meetings.load(con, saved.meeting_id)
    stored = meetings.as_draft(saved)
    assert all(item.item_id is not None for item in stored.items)
    assert replace(stored, items=[replace(i, item_id=None) for i in stored.items]) == d
    assert [(e["action"], e["version"], e["done_by"]) for e in meetings.events(con, saved.meeting_id)] == [
        ("建立", 1, "secretary")
    ]


def test_save_stores_a_deputy_only_for_a_deputised_seat_and_votes_only_for_decisions(con: Con) -> None:
    rows = [
        replace(a, deputy_name="不該存") if a.seat_no == 3 else a for a in attendance(deputies=frozenset({4}))
    ]
    items = [
        report(
            votes_for=3,
            metric_key="on_time_rate",
            metric_year=YEAR,
            metric_semester=1,
            metric_target=0.9,
            owner_unit="教學組",
        ),
        motion(metric_key="selection_rate", metric_semester=2),
    ]
    saved = meetings.save(con, draft(attendance=rows, items=items), SECRETARY, now=T0)
    by_seat = {a.seat_no: a for a in saved.attendance}
    assert by_seat[3].deputy_name == ""
    assert by_seat[4].deputy_name == "代理人04"
    stored_report, stored_motion = saved.items
    assert (stored_report.votes_for, stored_report.metric_key, stored_report.metric_target) == (
        None,
        "",
        None,
    )
    assert stored_motion.votes_for == 15
    assert (stored_motion.metric_key, stored_motion.metric_semester) == ("selection_rate", None)


def test_topics_are_stored_in_article_4_order(con: Con) -> None:
    reordered = [meetings.TOPICS[4], meetings.TOPICS[0]]
    saved = meetings.save(con, draft(items=[report(topics=reordered)]), SECRETARY, now=T0)
    assert saved.items[0].topics == [meetings.TOPICS[0], meetings.TOPICS[4]]


def test_update_with_the_right_version_bumps_it(con: Con) -> None:
    created = meetings.save(con, draft(), SECRETARY, now=at(0))
    changed = replace(meetings.as_draft(created), place="圖書館簡報室", end_time="16:30")
    updated = meetings.save(
        con, changed, ADMIN, created.meeting_id, expected_version=created.version, now=at(5)
    )
    assert updated.meeting_id == created.meeting_id
    assert updated.version == created.version + 1
    assert (updated.place, updated.end_time) == ("圖書館簡報室", "16:30")
    assert (updated.created_by, updated.updated_by, updated.updated_at) == ("secretary", "admin", at(5))
    again = meetings.save(
        con, meetings.as_draft(updated), SECRETARY, updated.meeting_id, expected_version=updated.version
    )
    assert again.version == updated.version + 1
    assert con.execute("select count(*) from meetings").fetchone() == (1,)


def test_an_update_must_name_the_version_it_was_edited_from(con: Con) -> None:
    created = meetings.save(con, draft(), SECRETARY, now=T0)
    before = snapshot(con)
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.save(con, draft(place="別處"), SECRETARY, created.meeting_id)
    assert list(refused.value.problems) == ["version"]
    assert snapshot(con) == before


def test_a_stale_save_is_refused_and_changes_nothing(con: Con) -> None:
    created = meetings.save(con, draft(), SECRETARY, now=at(0))
    opened = meetings.as_draft(created)  # two people open version 1
    first = meetings.save(con, replace(opened, place="第一位的修改"), ADMIN, created.meeting_id, 1, now=at(5))
    before, stored_before = snapshot(con), meetings.load(con, created.meeting_id)
    with pytest.raises(meetings.StaleMeetingError) as refused:
        meetings.save(con, replace(opened, place="第二位的修改", items=[]), SECRETARY, created.meeting_id, 1)
    assert list(refused.value.problems) == ["version"]
    assert f"第 {first.version} 版" in refused.value.problems["version"]
    stamp = at(5)  # who saved first and when, in 民國
    assert f"於 {stamp.year - 1911}/{stamp:%m/%d %H:%M} " in refused.value.problems["version"]
    assert meetings.load(con, created.meeting_id) == stored_before
    assert snapshot(con) == before
    assert stored_before.place == "第一位的修改"


def test_editing_keeps_item_ids_and_deletes_removed_items_with_their_follow_ups(con: Con) -> None:
    """An item no later meeting reported on can go, with its between-meeting entries; the kept
    one keeps its item_id, so the later meeting's report still points at it."""
    removed_motion = motion(title="將被刪除的提案")
    first = save_on(con, date(2025, 8, 20), at(0), items=[report(), motion(), removed_motion])
    kept_id, dropped_id = first.items[1].item_id, first.items[2].item_id
    assert kept_id is not None and dropped_id is not None
    later = save_on(con, HELD, at(1), follow_ups=[FollowUp(kept_id, "執行中", "進行中")])
    resolutions.update_status(con, dropped_id, "執行中", "會後更新", SECRETARY, at(2))

    edited = meetings.as_draft(first)
    edited.items = [replace(edited.items[1], title="修正後的案由"), motion(title="新增提案")]
    saved = meetings.save(con, edited, SECRETARY, first.meeting_id, first.version, now=at(3))

    assert saved.items[0].item_id == kept_id
    assert saved.items[0].title == "修正後的案由"
    assert saved.items[1].item_id not in {first.items[0].item_id, kept_id, dropped_id}
    stored_ids = {r[0] for r in con.execute("select item_id from meeting_items").fetchall()}
    assert dropped_id not in stored_ids and first.items[0].item_id not in stored_ids
    assert con.execute(
        "select count(*) from resolution_updates where item_id = $i", {"i": dropped_id}
    ).fetchone() == (0,)
    assert meetings.load(con, later.meeting_id).follow_ups == [FollowUp(kept_id, "執行中", "進行中")]


def test_a_resolution_a_later_meeting_reported_on_cannot_be_removed_or_emptied(con: Con) -> None:
    """Removing it would take a row out of the later (perhaps locked) minutes."""
    first = save_on(con, date(2025, 8, 20), at(0), items=[report(), motion()])
    followed = first.items[1].item_id
    assert followed is not None
    later = save_on(con, HELD, at(1), follow_ups=[FollowUp(followed, "執行中", "進行中")])
    removed = replace(meetings.as_draft(first), items=[first.items[0]])
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.save(con, removed, SECRETARY, first.meeting_id, first.version, now=at(2))
    assert list(refused.value.problems) == [f"removed.{followed}"]
    assert later.session_label in refused.value.problems[f"removed.{followed}"]
    emptied = meetings.as_draft(first)
    emptied.items[1].decision = "  "
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.save(con, emptied, SECRETARY, first.meeting_id, first.version, now=at(2))
    assert "items.1.decision" in refused.value.problems
    assert meetings.load(con, later.meeting_id).follow_ups == [FollowUp(followed, "執行中", "進行中")]
    assert meetings.load(con, first.meeting_id).version == first.version


def test_a_save_that_fails_halfway_writes_nothing(con: Con) -> None:
    """The event row is the last write of a save: with its table gone, everything before it is
    rolled back, for a new meeting and for an update."""
    created = meetings.save(con, draft(), SECRETARY, now=at(0))
    before = snapshot(con)
    con.execute("alter table meeting_events rename to meeting_events_away")
    try:
        with pytest.raises(duckdb.CatalogException):
            meetings.save(con, draft(sequence_no=2, held_on=date(2025, 10, 1)), SECRETARY, now=at(1))
        with pytest.raises(duckdb.CatalogException):
            changed = replace(meetings.as_draft(created), place="別處", items=[motion()], guests=[])
            meetings.save(con, changed, SECRETARY, created.meeting_id, created.version, now=at(2))
    finally:
        con.execute("alter table meeting_events_away rename to meeting_events")
    assert snapshot(con) == before


def test_a_refused_follow_up_writes_nothing(con: Con) -> None:
    earlier = save_on(con, date(2025, 8, 20), at(0))
    later = save_on(con, date(2025, 10, 15), at(1))
    before = snapshot(con)
    assert later.items[1].item_id is not None
    bad = draft_on(con, HELD, follow_ups=[FollowUp(later.items[1].item_id, "執行中")])
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.save(con, bad, SECRETARY, now=at(2))
    assert list(refused.value.problems) == [f"follow_ups.{later.items[1].item_id}"]
    edit = replace(meetings.as_draft(earlier), follow_ups=bad.follow_ups)
    with pytest.raises(meetings.MeetingError):
        meetings.save(con, edit, SECRETARY, earlier.meeting_id, earlier.version, now=at(3))
    assert snapshot(con) == before


def test_saving_a_missing_meeting_is_refused(con: Con) -> None:
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.save(con, draft(), SECRETARY, meeting_id=404, expected_version=1)
    assert list(refused.value.problems) == ["meeting"]
    assert snapshot(con)["meetings"] == []
    with pytest.raises(meetings.MeetingError):
        meetings.load(con, 404)
