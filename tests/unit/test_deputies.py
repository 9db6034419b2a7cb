"""代理人 (Art. 11) on the demo school's 教職員名冊: every refused and accepted rule of a unit's
list, saving and copying forward, who acts for a gone teacher and which accounts to keep open."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pytest

from dashboard import auth, db
from dashboard.measures import teachers
from dashboard.records import deputies
from dashboard.records.deputies import Deputy, DeputyError

Con = duckdb.DuckDBPyConnection
CLERK = auth.User("clerk", "註冊組長", "註冊組")
MEMBER = auth.User("member", "委員", "工作小組委員")
AT = datetime(2026, 8, 3, 9, 0)
UNIT = "教務處註冊組"


@pytest.fixture
def demo_con(demo_con: Con) -> Con:
    """The demo school without the deputies dashboard/demo_duties.py seeds: these tests build
    every list themselves."""
    demo_con.execute("delete from deputies")
    return demo_con


def _staff(con: Con, in_service: bool = True) -> list[tuple[str, str]]:
    rows = con.execute(
        "select staff_code, name from staff where (employment_status = '在職') = $s order by staff_code",
        {"s": in_service},
    ).fetchall()
    assert rows
    return [(str(c), str(n)) for c, n in rows]


def _list(con: Con, n: int = 2) -> list[Deputy]:
    return [Deputy(rank, code, name) for rank, (code, name) in enumerate(_staff(con)[:n], start=1)]


def _stored(con: Con) -> int:
    row = con.execute("select count(*) from deputies").fetchone()
    return int(row[0]) if row else 0


def _leave(con: Con, code: str, status: str = "離職") -> None:
    con.execute("update staff set employment_status = $s where staff_code = $c", {"s": status, "c": code})


def test_units_are_the_regulations() -> None:
    assert deputies.UNITS == (
        "教務處註冊組",
        "進修部教務組",
        "學務處訓育組",
        "學務處活動組",
        "進修部學務組",
        "教務處",
        "輔導室",
    )
    assert set(teachers.UNIT_FOR_DIVISION.values()) <= set(deputies.UNITS)


def test_nothing_designated_loads_every_unit_empty(demo_con: Con) -> None:
    assert deputies.load(demo_con, 115) == {unit: [] for unit in deputies.UNITS}


def test_save_replaces_one_units_list_in_rank_order(demo_con: Con) -> None:
    first, second, third = _list(demo_con, 3)
    stored = deputies.save(demo_con, 115, UNIT, [second, first], CLERK, now=AT)
    assert stored == [first, second]
    counsellor = Deputy(1, third.staff_code, third.person_name)
    deputies.save(demo_con, 115, "輔導室", [counsellor], CLERK, now=AT)
    swapped = [
        Deputy(1, second.staff_code, second.person_name, "主任出差時"),
        Deputy(2, first.staff_code, first.person_name),
    ]
    assert deputies.save(demo_con, 115, UNIT, swapped, CLERK, now=AT) == swapped
    loaded = deputies.load(demo_con, 115)
    assert (loaded[UNIT], loaded["輔導室"], loaded["教務處"]) == (swapped, [counsellor], [])
    assert deputies.load(demo_con, 114)[UNIT] == []
    by = demo_con.execute("select distinct updated_by, updated_at from deputies").fetchall()
    assert by == [("clerk", AT)]
    assert deputies.save(demo_con, 115, UNIT, [], CLERK, now=AT) == []  # a unit may clear its list


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("unit", "unit"),
        ("year", "year"),
        ("gap", "ranks"),
        ("duplicate_rank", "deputy.2.rank"),
        ("rank_zero", "deputy.1.rank"),
        ("no_code", "deputy.1.staff_code"),
        ("unknown_code", "deputy.1.staff_code"),
        ("left", "deputy.1.staff_code"),
        ("wrong_name", "deputy.1.person_name"),
        ("no_name", "deputy.1.person_name"),
        ("twice", "deputy.2.staff_code"),
    ],
)
def test_each_rule_refuses_and_the_corrected_list_is_accepted(demo_con: Con, case: str, field: str) -> None:
    good = _list(demo_con)
    (c1, n1), (c2, n2) = [(d.staff_code, d.person_name) for d in good]
    left_code, left_name = _staff(demo_con, in_service=False)[0]
    year, unit, bad = 115, UNIT, list(good)
    if case == "unit":
        unit = "總務處"
    elif case == "year":
        year = 107
    elif case == "gap":
        bad = [Deputy(1, c1, n1), Deputy(3, c2, n2)]
    elif case == "duplicate_rank":
        bad = [Deputy(1, c1, n1), Deputy(1, c2, n2)]
    elif case == "rank_zero":
        bad = [Deputy(0, c1, n1), Deputy(1, c2, n2)]
    elif case == "no_code":
        bad = [Deputy(1, None, n1), Deputy(2, c2, n2)]
    elif case == "unknown_code":
        bad = [Deputy(1, "X9999", n1), Deputy(2, c2, n2)]
    elif case == "left":
        bad = [Deputy(1, left_code, left_name), Deputy(2, c2, n2)]
    elif case == "wrong_name":
        bad = [Deputy(1, c1, n2), Deputy(2, c2, n2)]
    elif case == "no_name":
        bad = [Deputy(1, c1, " "), Deputy(2, c2, n2)]
    elif case == "twice":
        bad = [Deputy(1, c1, n1), Deputy(2, c1, n1)]
    problems = deputies.validate(demo_con, year, unit, bad)
    assert set(problems) == {field}, problems
    with pytest.raises(DeputyError) as err:
        deputies.save(demo_con, year, unit, bad, CLERK, now=AT)
    assert err.value.problems == problems
    assert _stored(demo_con) == 0
    assert deputies.validate(demo_con, 115, UNIT, good) == {}
    assert deputies.save(demo_con, 115, UNIT, good, CLERK, now=AT) == good


def test_a_deputy_who_has_left_is_named_with_the_status(demo_con: Con) -> None:
    code, name = _staff(demo_con, in_service=False)[0]
    status = demo_con.execute(
        "select employment_status from staff where staff_code = $c", {"c": code}
    ).fetchone()
    assert status is not None
    problems = deputies.validate(demo_con, 115, UNIT, [Deputy(1, code, name)])
    assert status[0] in problems["deputy.1.staff_code"] and name in problems["deputy.1.staff_code"]


def test_only_edit_records_roles_may_save(demo_con: Con) -> None:
    with pytest.raises(DeputyError) as err:
        deputies.save(demo_con, 115, UNIT, _list(demo_con), MEMBER, now=AT)
    assert set(err.value.problems) == {"user"}
    assert _stored(demo_con) == 0
    secretary = auth.User("sec", "教務主任", "執行秘書")
    assert deputies.save(demo_con, 115, UNIT, _list(demo_con), secretary, now=AT) == _list(demo_con)


def test_copy_forward_drops_people_who_left_and_closes_up_ranks(demo_con: Con) -> None:
    first, second, third = _list(demo_con, 3)
    deputies.save(demo_con, 114, UNIT, [first, second, third], CLERK, now=AT)
    deputies.save(
        demo_con, 114, "輔導室", [Deputy(1, third.staff_code, third.person_name, "課諮")], CLERK, now=AT
    )
    _leave(demo_con, str(first.staff_code), "退休")
    proposed = deputies.copy_forward(demo_con, 115)
    assert proposed[UNIT] == [
        Deputy(1, second.staff_code, second.person_name),
        Deputy(2, third.staff_code, third.person_name),
    ]
    assert proposed["輔導室"] == [Deputy(1, third.staff_code, third.person_name, "課諮")]
    assert proposed["教務處"] == []
    assert deputies.load(demo_con, 115)[UNIT] == []  # a proposal, not saved
    for unit, listed in proposed.items():
        assert deputies.validate(demo_con, 115, unit, listed) == {}


# --- teachers who are gone -------------------------------------------------------------------


def _teacher_with_pending(con: Con, year: int, semester: int, skip: int = 0) -> teachers.TeacherStatus:
    waiting = [t for t in teachers.board(con, year, semester) if t.pending > 0 and not t.departed]
    assert len(waiting) > skip
    return waiting[skip]


def test_a_teacher_who_left_is_listed_with_the_acting_deputy(demo_con: Con) -> None:
    gone = _teacher_with_pending(demo_con, 115, 1)
    assert gone.code not in {x.code for x in deputies.leavers_with_pending(demo_con, 115, 1)}
    _leave(demo_con, gone.code)
    first, second = _list(demo_con)
    deputies.save(demo_con, 115, UNIT, [first, second], CLERK, now=AT)
    _leave(demo_con, str(first.staff_code))  # the first deputy has left since: the second acts
    found = deputies.leavers_with_pending(demo_con, 115, 1)
    flagged = [t for t in teachers.board(demo_con, 115, 1) if t.flagged]
    assert [x.code for x in found] == [t.code for t in flagged]
    mine = next(x for x in found if x.code == gone.code)
    assert (mine.employment_status, mine.pending, mine.deadline_date) == (
        "離職",
        gone.pending,
        gone.deadline_date,
    )
    assert mine.units == gone.units
    for acting in mine.acting:
        division = next(d for d, u in teachers.UNIT_FOR_DIVISION.items() if u == acting.unit)
        assert acting.pending == gone.pending_by_division[division]
        assert acting.deputy == (second if acting.unit == UNIT else None)
    assert sum(a.pending for a in mine.acting) == gone.pending


def test_accounts_closing_with_items_pending_are_to_be_delayed(demo_con: Con) -> None:
    as_of = db.as_of(demo_con)
    assert as_of is not None
    closed = _teacher_with_pending(demo_con, 115, 1, 0)
    closing = _teacher_with_pending(demo_con, 115, 1, 1)
    for code, days in ((closed.code, -3), (closing.code, 20)):
        demo_con.execute(
            "update staff set account_disabled_on = $d where staff_code = $c",
            {"d": as_of.date() + timedelta(days=days), "c": code},
        )
    found = deputies.accounts_to_delay(demo_con, 115, 1)
    board = teachers.board(demo_con, 115, 1)
    expected = sorted((t.account_disabled_on, t.code) for t in board if t.account_disabled_on and t.pending)
    assert [(a.account_disabled_on, a.code) for a in found] == expected
    by_code = {a.code: a for a in found}
    assert (by_code[closed.code].days_left, by_code[closed.code].already_past) == (-3, True)
    assert (by_code[closing.code].days_left, by_code[closing.code].already_past) == (20, False)
    assert by_code[closed.code].pending == closed.pending
    assert by_code[closed.code].units == closed.units
    # A date set on someone with nothing pending (the demo's leavers) is not a reason to wait.
    dated = {
        r[0]
        for r in demo_con.execute(
            "select staff_code from staff where account_disabled_on is not null"
        ).fetchall()
    }
    idle = dated - {t.code for t in board if t.pending}
    assert idle and not idle & set(by_code)


def test_closing_on_the_day_of_the_data_counts_as_past(demo_con: Con) -> None:
    as_of = db.as_of(demo_con)
    assert as_of is not None
    t = _teacher_with_pending(demo_con, 115, 1)
    demo_con.execute(
        "update staff set account_disabled_on = $d where staff_code = $c", {"d": as_of.date(), "c": t.code}
    )
    [found] = [a for a in deputies.accounts_to_delay(demo_con, 115, 1) if a.code == t.code]
    assert (found.days_left, found.already_past) == (0, True)


def test_saving_several_units_writes_all_of_them_or_none(demo_con: Con) -> None:
    good = _list(demo_con)
    bad = [
        Deputy(1, good[0].staff_code, good[0].person_name),
        Deputy(1, good[1].staff_code, good[1].person_name),
    ]
    assert deputies.validate(demo_con, 115, "輔導室", bad)  # two people on rank 1
    with pytest.raises(DeputyError) as refused:
        deputies.save_units(demo_con, 115, {UNIT: good, "輔導室": bad}, CLERK, now=AT)
    assert all(key.startswith("輔導室: ") for key in refused.value.problems)
    assert _stored(demo_con) == 0  # the good unit was not written either
    stored = deputies.save_units(demo_con, 115, {UNIT: good, "輔導室": good[:1]}, CLERK, now=AT)
    assert stored == {
        UNIT: deputies.load(demo_con, 115)[UNIT],
        "輔導室": deputies.load(demo_con, 115)["輔導室"],
    }
    assert [d.staff_code for d in stored[UNIT]] == [d.staff_code for d in good]
    assert _stored(demo_con) == len(good) + 1


def test_a_save_from_a_stale_list_is_refused_and_writes_nothing(demo_con: Con) -> None:
    opened = deputies.load(demo_con, 115)[UNIT]  # empty: both clerks start from nothing
    first = _list(demo_con, 2)
    deputies.save(demo_con, 115, UNIT, first, CLERK, now=AT, expected=opened)
    with pytest.raises(DeputyError) as refused:
        deputies.save(demo_con, 115, UNIT, first[:1], CLERK, now=AT, expected=opened)
    assert set(refused.value.problems) == {"version"} and UNIT in refused.value.problems["version"]
    assert [d.staff_code for d in deputies.load(demo_con, 115)[UNIT]] == [d.staff_code for d in first]
    # from what is stored now, the same save goes through
    stored = deputies.save(
        demo_con, 115, UNIT, first[:1], CLERK, now=AT, expected=deputies.load(demo_con, 115)[UNIT]
    )
    assert [d.staff_code for d in stored] == [first[0].staff_code]
