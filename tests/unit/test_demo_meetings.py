"""The demo school's working-group records (dashboard/demo_meetings.py), read back through the
core from the demo database the session builds: each fact is derived from the database (and
what the regulation requires), never a total copied from the seed."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import duckdb

from dashboard.demo import meetings as demo_meetings
from dashboard.demo.bundle import DEMO_EXPORTED_AT
from dashboard.measures import metrics, targets
from dashboard.records import committee, meetings, resolutions
from tests import db_helpers
from tests.db_helpers import count

Con = duckdb.DuckDBPyConnection
TODAY = date(2026, 11, 29)
EXPORT_DAY = DEMO_EXPORTED_AT.date()
TABLES = ("committee_members", *db_helpers.MEETING_TABLES)


def _empty(con: Con) -> None:
    """Every table of TABLES emptied (table names cannot be bound, so each statement is spelled out)."""
    con.execute("delete from committee_members")
    con.execute("delete from meetings")
    con.execute("delete from meeting_attendance")
    con.execute("delete from meeting_guests")
    con.execute("delete from meeting_items")
    con.execute("delete from resolution_updates")
    con.execute("delete from meeting_events")
    assert not any(count(con, t) for t in TABLES)


def stored(con: Con) -> list[meetings.Meeting]:
    """Every meeting, oldest first."""
    return [meetings.load(con, int(m["meeting_id"])) for m in reversed(meetings.list_meetings(con))]


def snapshot(con: Con) -> dict[str, list[Any]]:
    return db_helpers.snapshot(con, TABLES)


def test_each_114_semester_met_the_rule_with_two_meetings(demo_con: Con) -> None:
    for semester in (1, 2):
        c = resolutions.compliance(demo_con, 114, semester, TODAY)
        assert c.met, c
        assert c.meeting_count >= 2, c


def test_114_decided_all_six_topics_and_115_1_still_has_some_to_do(demo_con: Con) -> None:
    decided = {t for s in (1, 2) for t in resolutions.compliance(demo_con, 114, s, TODAY).topics_decided}
    assert decided == set(meetings.TOPICS)
    current = resolutions.compliance(demo_con, 115, 1, TODAY)
    assert current.met
    assert current.topics_decided
    assert current.topics_missing


def test_resolutions_are_in_every_state_and_some_are_overdue(demo_con: Con) -> None:
    found = resolutions.all_resolutions(demo_con)
    assert {r.status for r in found} == set(meetings.STATUSES)
    for day in (EXPORT_DAY, TODAY):
        assert any(r.overdue(day) for r in found), day
    assert all(r.owner_unit and r.due_date for r in found)  # every 決議 says who and by when


def test_a_resolution_linked_to_a_metric_shows_the_live_figure(demo_con: Con) -> None:
    linked = [r for r in resolutions.all_resolutions(demo_con) if r.metric_key]
    assert linked
    assert all(r.metric_key in targets.METRICS and r.metric_target for r in linked)
    shown = [
        resolutions.progress(
            r,
            lambda y, s: metrics.semester_metrics(demo_con, y, s),
            lambda y: metrics.year_metrics(demo_con, y),
        )
        for r in linked
    ]
    assert any(p is not None and p.value is not None and p.light != "grey" for p in shown)


def test_the_newest_meeting_is_a_draft_and_the_others_are_confirmed(demo_con: Con) -> None:
    *older, newest = stored(demo_con)
    assert newest.status == meetings.DRAFT
    assert meetings.confirm_problems(demo_con, newest)  # the minutes are still being written
    assert older
    for m in older:
        assert m.status == meetings.CONFIRMED, m.session_label
        assert m.confirmed_by == "secretary"
        assert m.confirmed_at is not None and m.held_on is not None
        assert m.held_on < m.confirmed_at.date() < EXPORT_DAY


def test_every_meeting_had_a_quorum_and_a_realistic_attendance(demo_con: Con) -> None:
    held = stored(demo_con)
    for m in held:
        assert meetings.quorum(demo_con, m.school_year, m.attendance).met, m.session_label
        assert any(a.attendance == "請假" for a in m.attendance), m.session_label
        assert m.guests, m.session_label
        assert m.chair and m.recorder and m.place and m.end_time
    assert any(a.attendance == "代理" and a.deputy_name for m in held for a in m.attendance)


def test_the_rosters_of_114_and_115_are_complete_and_kept_per_year(demo_con: Con) -> None:
    for year in (114, 115):
        assert committee.check(demo_con, year).complete, year
    before = {m.seat_no: m.person_name for m in committee.load(demo_con, 114)}
    after = {m.seat_no: m.person_name for m in committee.load(demo_con, 115)}
    changed = {seat for seat in before if before[seat] != after[seat]}
    assert changed  # a new representative in 115
    assert len(changed) <= len(committee.SEATS) // 4  # mostly the same people
    for m in stored(demo_con):  # each attendance list names the holders serving that day
        assert m.held_on is not None
        holders = committee.holders_on(demo_con, m.school_year, m.held_on)
        assert {a.seat_no: a.person_name for a in m.attendance} == {
            seat: h.person_name for seat, h in holders.items()
        }, m.session_label


def test_the_second_meeting_of_a_semester_reports_on_the_first(demo_con: Con) -> None:
    by_term: dict[tuple[int, int], list[meetings.Meeting]] = defaultdict(list)
    for m in stored(demo_con):
        by_term[(m.school_year, m.semester)].append(m)
    pairs = [(ms[0], ms[1]) for ms in by_term.values() if len(ms) >= 2]
    assert pairs
    for first, second in pairs:
        decided = {i.item_id for i in first.items if i.section in meetings.DECIDING_SECTIONS and i.decision}
        assert decided & {f.item_id for f in second.follow_ups}, second.session_label


def test_follow_ups_report_only_earlier_resolutions(demo_con: Con) -> None:
    made = {r.item_id: r.held_on for r in resolutions.all_resolutions(demo_con)}
    reported = 0
    for m in stored(demo_con):
        for f in m.follow_ups:
            assert m.held_on is not None and made[f.item_id] < m.held_on
            reported += 1
    assert reported


def test_nothing_is_dated_after_the_export(demo_con: Con) -> None:
    row = demo_con.execute(
        "select max(stamp) from ("
        " select updated_at as stamp from committee_members"
        " union all select coalesce(confirmed_at, updated_at) from meetings"
        " union all select updated_at from resolution_updates"
        " union all select done_at from meeting_events)"
    ).fetchone()
    assert row is not None and row[0] < DEMO_EXPORTED_AT
    assert all(m.held_on is not None and m.held_on <= EXPORT_DAY for m in stored(demo_con))


def test_seeding_again_changes_nothing(demo_con: Con) -> None:
    before = snapshot(demo_con)
    assert not any(demo_meetings.seed(demo_con).values())
    assert snapshot(demo_con) == before


def test_seeding_an_empty_group_reports_what_it_wrote(demo_con: Con) -> None:
    _empty(demo_con)
    counts = demo_meetings.seed(demo_con)
    assert counts["roster_seats"] == count(demo_con, "committee_members")
    assert counts["meetings"] == count(demo_con, "meetings")
    assert counts["items"] == count(demo_con, "meeting_items")
    assert counts["resolutions"] == len(resolutions.all_resolutions(demo_con))
    assert counts["follow_ups"] + counts["updates"] == count(demo_con, "resolution_updates")
    assert counts["follow_ups"] == sum(len(m.follow_ups) for m in stored(demo_con))
