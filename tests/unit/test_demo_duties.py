"""The demo school's deputies and self-check records (dashboard/demo_duties.py), read back through
the core from the demo database the session builds: every fact is derived from the database and
the core (deputies.validate, selfchecks.statuses / figures / missed), never a count copied from
the seed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import duckdb

from dashboard import db
from dashboard.demo import duties as demo_duties
from dashboard.demo.bundle import DEMO_EXPORTED_AT
from dashboard.measures import teachers
from dashboard.records import deputies, selfchecks
from tests import db_helpers
from tests.db_helpers import count

Con = duckdb.DuckDBPyConnection
EXPORT_DAY = DEMO_EXPORTED_AT.date()  # 2026-11-16, the demo's 資料截至
YEARS = (114, 115)
SEMESTERS = ((113, 1), (113, 2), (114, 1), (114, 2), (115, 1))
TABLES = ("deputies", "self_checks")


def _empty(con: Con) -> None:
    con.execute("delete from deputies")
    con.execute("delete from self_checks")
    assert not any(count(con, t) for t in TABLES)


def snapshot(con: Con) -> dict[str, list[Any]]:
    return db_helpers.snapshot(con, TABLES)


def checks(con: Con, day: date = EXPORT_DAY) -> list[selfchecks.SelfCheckStatus]:
    return [s for y, t in SEMESTERS for s in selfchecks.statuses(con, y, t, day)]


# --- deputies ----------------------------------------------------------------------------------


def test_every_unit_has_valid_deputies_in_114_and_115(demo_con: Con) -> None:
    staff = {r["staff_code"]: r for r in db.query_rows(demo_con, "staff_all")}
    for year in YEARS:
        stored = deputies.load(demo_con, year)
        assert set(stored) == set(deputies.UNITS), year
        for unit, people in stored.items():
            assert 1 <= len(people) <= 2, (year, unit)
            assert [d.rank for d in people] == list(range(1, len(people) + 1))
            assert deputies.validate(demo_con, year, unit, people) == {}, (year, unit)
            first = staff[people[0].staff_code]
            assert str(first["unit"]).startswith(unit), (year, unit, first)  # the unit's own staff first
            assert deputies.acting_deputy(demo_con, year, unit) == people[0]


def test_the_lists_change_a_little_from_114_to_115(demo_con: Con) -> None:
    before, after = (deputies.load(demo_con, y) for y in YEARS)
    changed = [u for u in deputies.UNITS if before[u] != after[u]]
    assert changed
    assert len(changed) < len(deputies.UNITS)  # mostly the same people


def test_a_teacher_who_leaves_is_covered_by_each_units_first_deputy(demo_con: Con) -> None:
    waiting = [t for t in teachers.board(demo_con, 115, 1) if t.pending > 0 and not t.departed]
    assert waiting
    gone = waiting[0]
    demo_con.execute("update staff set employment_status = '離職' where staff_code = $c", {"c": gone.code})
    [mine] = [x for x in deputies.leavers_with_pending(demo_con, 115, 1) if x.code == gone.code]
    assert mine.acting
    stored = deputies.load(demo_con, 115)
    for acting in mine.acting:
        assert acting.deputy == stored[acting.unit][0], acting


# --- self-checks --------------------------------------------------------------------------------


def test_most_checks_due_before_the_export_are_recorded_and_one_is_missed(demo_con: Con) -> None:
    found = checks(demo_con)
    due = [s for s in found if s.self_check_date <= EXPORT_DAY]
    missed = selfchecks.missed(demo_con, EXPORT_DAY)
    assert missed
    assert all(s.state == "逾期未檢核" and s.latest is None for s in missed)
    assert {(s.year, s.semester, s.phase, s.division) for s in missed} == {
        (s.year, s.semester, s.phase, s.division) for s in due if not s.done
    }
    for y, t in SEMESTERS:
        term = [s for s in due if (s.year, s.semester) == (y, t)]
        if term:  # each semester with checks due: most were recorded on the day
            states = [s.state for s in term]
            assert states.count("已檢核") > len(term) / 2, (y, t, states)
    latest = max(s.year for s in due)
    assert {s.year for s in missed} == {latest}  # a recent gap, not an old backlog
    assert any(s.semester == 2 for s in missed)


def test_115_1_checks_fall_after_the_export_so_none_is_recorded_yet(demo_con: Con) -> None:
    current = selfchecks.statuses(demo_con, 115, 1, EXPORT_DAY)
    assert current
    assert all(s.state == "未到期" and s.record_count == 0 for s in current)
    # the core refuses a record more than EARLIEST_DAYS_BEFORE days ahead of the check
    earliest = min(s.self_check_date for s in current) - timedelta(days=selfchecks.EARLIEST_DAYS_BEFORE)
    assert earliest > EXPORT_DAY


def test_checks_are_recorded_on_their_day_before_the_export(demo_con: Con) -> None:
    for s in checks(demo_con):
        for r in selfchecks.history(demo_con, s.year, s.semester, s.division, s.phase):
            assert r.recorded_at < DEMO_EXPORTED_AT
            assert r.recorded_at.date() >= s.self_check_date, s
            assert r.recorded_by == demo_duties.USER.username


def test_some_checks_were_not_met_with_a_plan_and_one_was_met_on_a_recheck(demo_con: Con) -> None:
    records = [
        (s, r)
        for s in checks(demo_con)
        for r in selfchecks.history(demo_con, s.year, s.semester, s.division, s.phase)
    ]
    unmet = [(s, r) for s, r in records if r.result == "未達成"]
    assert unmet
    assert all(r.note.strip() for _, r in unmet)
    assert len(unmet) < len(records) / 4  # a few, not most
    rechecked = [s for s in checks(demo_con) if s.record_count > 1]
    assert rechecked
    for s in rechecked:
        trail = selfchecks.history(demo_con, s.year, s.semester, s.division, s.phase)
        assert [r.result for r in trail][:2] == ["達成", "未達成"], s
        assert s.latest is not None and s.latest.result == "達成"


def test_stored_figures_are_the_metrics_cores(demo_con: Con) -> None:
    as_of = db.as_of(demo_con)
    recorded = [s for s in checks(demo_con) if s.latest is not None]
    assert recorded
    for s in recorded:
        assert s.latest is not None
        assert s.latest.figures == selfchecks.figures(
            demo_con, s.year, s.semester, s.phase, s.figures_division
        )
        assert s.latest.figures_as_of == as_of
        assert tuple(s.latest.figures) == selfchecks.FIGURES[s.phase]


# --- seeding -----------------------------------------------------------------------------------


def test_nothing_is_dated_after_the_export(demo_con: Con) -> None:
    row = demo_con.execute(
        "select max(stamp) from (select updated_at as stamp from deputies"
        " union all select recorded_at from self_checks)"
    ).fetchone()
    assert row is not None and row[0] < DEMO_EXPORTED_AT


def test_seeding_again_changes_nothing(demo_con: Con) -> None:
    before = snapshot(demo_con)
    assert demo_duties.seed(demo_con) == {"deputies": 0, "self_checks": 0}
    assert snapshot(demo_con) == before


def test_either_table_holding_rows_stops_the_seed(demo_con: Con) -> None:
    demo_con.execute("delete from self_checks")  # deputies still stored
    assert not any(demo_duties.seed(demo_con).values())
    assert count(demo_con, "self_checks") == 0
    demo_con.execute("delete from deputies")
    assert all(demo_duties.seed(demo_con).values())  # both empty: written again
    demo_con.execute("delete from deputies")  # self-checks still stored
    assert not any(demo_duties.seed(demo_con).values())
    assert count(demo_con, "deputies") == 0


def test_seeding_empty_tables_reports_what_it_wrote_and_is_deterministic(demo_con: Con) -> None:
    before = snapshot(demo_con)
    _empty(demo_con)
    counts = demo_duties.seed(demo_con)
    assert counts == {"deputies": count(demo_con, "deputies"), "self_checks": count(demo_con, "self_checks")}
    assert snapshot(demo_con) == before
