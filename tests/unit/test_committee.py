"""The working group's 21 seats (Art. 3): the suggested roster, every refused and accepted field,
the completeness check, saving (permission, one transaction) and who holds a seat on a day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import duckdb
import pytest

from dashboard import auth
from dashboard.records import committee
from dashboard.records.committee import Member

Con = duckdb.DuckDBPyConnection
YEAR = 114
FIRST, LAST = date(2025, 8, 1), date(2026, 7, 31)  # 學年度 114
SECRETARY = auth.User("secretary", "教務主任", "執行秘書")
ADMIN = auth.User("admin", "管理者", "管理者")
SAVED_AT = datetime(2025, 8, 5, 9, 0)

STAFF_SEATS = [s for s in committee.SEATS if s.staff]
TYPED_SEATS = [s for s in committee.SEATS if not s.staff]


def add_staff(
    con: Con, code: str, name: str, title: str | None, status: str = "在職", unit: str = "教務處"
) -> None:
    con.execute(
        "insert into staff (staff_code, name, unit, title, employment_status) values ($c, $n, $u, $t, $s)",
        {"c": code, "n": name, "u": unit, "t": title, "s": status},
    )


def code_of(seat_no: int) -> str:
    return f"T{seat_no:02d}"


def name_of(seat_no: int) -> str:
    return f"委員{seat_no:02d}"


def staff_for_every_seat(con: Con) -> None:
    """One 在職 person per staff seat: the seat's own 職稱 where it has one, else 教師."""
    for seat in STAFF_SEATS:
        add_staff(con, code_of(seat.seat_no), name_of(seat.seat_no), seat.title or "教師")


def member(seat_no: int, name: str | None = None, code: str | None = "default", **dates: date) -> Member:
    seat = committee.SEAT_BY_NO.get(seat_no)
    if code == "default":
        code = code_of(seat_no) if seat is not None and seat.staff else None
    return Member(
        seat_no=seat_no,
        person_name=name_of(seat_no) if name is None else name,
        staff_code=code,
        start_date=dates.get("start", FIRST),
        end_date=dates.get("end", LAST),
    )


def full_roster() -> list[Member]:
    """All 21 seats filled and valid for staff_for_every_seat (typed names for seats 20, 21)."""
    return [member(s.seat_no) for s in committee.SEATS]


def with_seat(members: list[Member], seat_no: int, **changes: object) -> list[Member]:
    return [replace(m, **changes) if m.seat_no == seat_no else m for m in members]  # type: ignore[arg-type]


def stored(con: Con) -> list[tuple[object, ...]]:
    return con.execute("select * from committee_members order by all").fetchall()


# --- the seats --------------------------------------------------------------------------


def test_the_seats_follow_article_3() -> None:
    assert len(committee.SEATS) == committee.SEAT_COUNT == 21
    assert [s.seat_no for s in committee.SEATS] == list(range(1, 22))
    assert committee.SEAT_BY_NO[committee.CHAIR_SEAT].role == "召集人"
    assert committee.SEAT_BY_NO[committee.SECRETARY_SEAT].role == "執行秘書"
    assert {s.name for s in TYPED_SEATS} == {"家長代表", "學生代表"}


def test_year_bounds_run_august_to_july() -> None:
    assert committee.year_bounds(YEAR) == (FIRST, LAST)
    assert committee.year_bounds(113) == (date(2024, 8, 1), date(2025, 7, 31))


# --- suggest ----------------------------------------------------------------------------


def test_suggest_fills_each_seat_whose_title_one_person_holds(con: Con) -> None:
    staff_for_every_seat(con)
    suggested = committee.suggest(con, YEAR)
    assert [m.seat_no for m in suggested] == list(range(1, 22))
    by_seat = {m.seat_no: m for m in suggested}
    for seat in committee.SEATS:
        m = by_seat[seat.seat_no]
        assert (m.start_date, m.end_date) == (FIRST, LAST)
        if seat.title is not None:
            assert (m.person_name, m.staff_code) == (name_of(seat.seat_no), code_of(seat.seat_no))
        else:
            # 課程諮詢教師代表, 導師代表, 教師代表 and the typed seats have no 職稱 to go by.
            assert (m.person_name, m.staff_code) == ("", None)


def test_suggest_leaves_ambiguous_missing_and_departed_titles_blank(con: Con) -> None:
    staff_for_every_seat(con)
    add_staff(con, "X01", "第二位學務主任", "學務主任")  # two 學務主任: ambiguous
    con.execute("delete from staff where title = '圖書館主任'")  # nobody: missing
    con.execute("update staff set employment_status = '離職' where title = '輔導主任'")  # only one, gone
    by_seat = {m.seat_no: m for m in committee.suggest(con, YEAR)}
    for seat_no in (3, 6, 7):
        assert (by_seat[seat_no].person_name, by_seat[seat_no].staff_code) == ("", None)
    assert by_seat[2].staff_code == code_of(2)  # the others are still filled


def test_suggest_does_not_count_a_departed_namesake_as_ambiguous(con: Con) -> None:
    staff_for_every_seat(con)
    add_staff(con, "X01", "前任教務主任", "教務主任", status="離職")
    by_seat = {m.seat_no: m for m in committee.suggest(con, YEAR)}
    assert by_seat[2].staff_code == code_of(2)


def test_suggest_carries_last_years_holders_forward_while_in_service(con: Con) -> None:
    staff_for_every_seat(con)
    add_staff(con, "P19", "林老師", "教師")
    add_staff(con, "P04", "前任實習主任", "教師")
    last_year = with_seat(full_roster(), 19, person_name="林老師", staff_code="P19")
    last_year = with_seat(last_year, 4, person_name="前任實習主任", staff_code="P04")
    last_year = with_seat(last_year, 20, person_name="陳家長")
    first, last = committee.year_bounds(YEAR - 1)
    last_year = [replace(m, start_date=first, end_date=last) for m in last_year]
    committee.save(con, YEAR - 1, last_year, SECRETARY, SAVED_AT)
    # The 實習主任 of last year left; this year's 實習主任 (by 職稱) takes the seat.
    con.execute("update staff set employment_status = '離職' where staff_code = 'P04'")

    by_seat = {m.seat_no: m for m in committee.suggest(con, YEAR)}
    assert (by_seat[19].person_name, by_seat[19].staff_code) == ("林老師", "P19")  # no 職稱, still carried
    assert (by_seat[20].person_name, by_seat[20].staff_code) == ("陳家長", None)  # typed in, carried
    assert (by_seat[4].person_name, by_seat[4].staff_code) == (name_of(4), code_of(4))
    # Carried holders get this year's term, not last year's.
    assert {(m.start_date, m.end_date) for m in by_seat.values()} == {(FIRST, LAST)}


def test_suggest_drops_a_departed_holder_and_leaves_the_seat_blank_without_a_title(con: Con) -> None:
    staff_for_every_seat(con)
    first, last = committee.year_bounds(YEAR - 1)
    committee.save(
        con, YEAR - 1, [replace(m, start_date=first, end_date=last) for m in full_roster()], SECRETARY
    )
    con.execute("update staff set employment_status = '離職' where staff_code = $c", {"c": code_of(18)})
    by_seat = {m.seat_no: m for m in committee.suggest(con, YEAR)}
    assert (by_seat[18].person_name, by_seat[18].staff_code) == ("", None)
    assert by_seat[8].staff_code == code_of(8)  # a holder still 在職 is carried


def test_roster_or_suggestion(con: Con) -> None:
    staff_for_every_seat(con)
    members, is_stored = committee.roster_or_suggestion(con, YEAR)
    assert not is_stored
    assert members == committee.suggest(con, YEAR)
    partial = [m for m in full_roster() if m.seat_no != 5]
    committee.save(con, YEAR, partial, SECRETARY)
    members, is_stored = committee.roster_or_suggestion(con, YEAR)
    assert is_stored
    assert [m.seat_no for m in members] == list(range(1, 22))
    assert members[4] == Member(5, "", None, FIRST, LAST)
    assert [m for m in members if m.seat_no != 5] == partial


# --- validate ---------------------------------------------------------------------------


def test_a_full_valid_roster_has_no_problems(con: Con) -> None:
    staff_for_every_seat(con)
    assert committee.validate(con, YEAR, full_roster()) == {}


def test_blank_seats_are_allowed_by_validate(con: Con) -> None:
    staff_for_every_seat(con)
    roster = with_seat(full_roster(), 7, person_name="", staff_code=None)
    assert committee.validate(con, YEAR, roster) == {}
    assert committee.validate(con, YEAR, []) == {}


def test_a_typed_parent_representative_needs_no_staff_code(con: Con) -> None:
    staff_for_every_seat(con)
    roster = with_seat(full_roster(), 20, person_name="陳家長", staff_code=None)
    roster = with_seat(roster, 21, person_name="李同學", staff_code="")
    assert committee.validate(con, YEAR, roster) == {}


def test_names_are_compared_without_surrounding_spaces(con: Con) -> None:
    staff_for_every_seat(con)
    roster = with_seat(full_roster(), 3, person_name=f"  {name_of(3)} ", staff_code=f" {code_of(3)} ")
    assert committee.validate(con, YEAR, roster) == {}


@pytest.mark.parametrize(
    ("seat_no", "changes", "key", "words"),
    [
        (3, {"staff_code": "NOPE"}, "seat.3.staff_code", "不在教職員名冊"),
        (3, {"person_name": "別人"}, "seat.3.person_name", "不符"),
        (19, {"staff_code": None}, "seat.19.staff_code", "請從教職員名冊選擇"),
        (19, {"staff_code": "  "}, "seat.19.staff_code", "請從教職員名冊選擇"),
        (5, {"person_name": "", "staff_code": code_of(5)}, "seat.5.person_name", "請一併填寫姓名"),
        (6, {"start_date": date(2026, 3, 1), "end_date": date(2026, 2, 28)}, "seat.6.dates", "早於起日"),
        (6, {"start_date": None}, "seat.6.dates", "請填寫任期"),
        (6, {"end_date": None}, "seat.6.dates", "請填寫任期"),
        (
            6,
            {"start_date": date(2026, 8, 1), "end_date": date(2027, 7, 31)},
            "seat.6.dates",
            "不在 114 學年度",
        ),
        (
            6,
            {"start_date": date(2024, 8, 1), "end_date": date(2025, 7, 31)},
            "seat.6.dates",
            "不在 114 學年度",
        ),
        (
            20,
            {"person_name": "陳家長", "start_date": date(2025, 7, 1), "end_date": date(2025, 7, 31)},
            "seat.20.dates",
            "不在 114 學年度",
        ),
    ],
)
def test_validate_refuses(con: Con, seat_no: int, changes: dict[str, object], key: str, words: str) -> None:
    staff_for_every_seat(con)
    problems = committee.validate(con, YEAR, with_seat(full_roster(), seat_no, **changes))
    assert list(problems) == [key]
    assert words in problems[key]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 6, 1), date(2026, 7, 31)),  # starts in 113
        (date(2025, 8, 1), date(2026, 8, 31)),  # ends in 115
    ],
)
def test_validate_refuses_a_term_that_reaches_outside_the_school_year(
    con: Con, start: date, end: date
) -> None:
    """A roster belongs to one 學年度; a term that begins before 1 August or ends after 31 July is
    not inside it (the message says 「不在 114 學年度…內」)."""
    staff_for_every_seat(con)
    problems = committee.validate(con, YEAR, with_seat(full_roster(), 6, start_date=start, end_date=end))
    assert list(problems) == ["seat.6.dates"]


def test_validate_accepts_a_term_inside_the_year_and_a_one_day_term(con: Con) -> None:
    staff_for_every_seat(con)
    roster = with_seat(full_roster(), 6, start_date=date(2025, 11, 1), end_date=date(2026, 1, 31))
    roster = with_seat(roster, 7, start_date=LAST, end_date=LAST)
    assert committee.validate(con, YEAR, roster) == {}


def test_validate_refuses_the_same_person_on_two_seats(con: Con) -> None:
    staff_for_every_seat(con)
    roster = with_seat(full_roster(), 19, person_name=name_of(18), staff_code=code_of(18))
    problems = committee.validate(con, YEAR, roster)
    assert list(problems) == ["seat.19.staff_code"]
    assert "導師代表" in problems["seat.19.staff_code"]  # names the seat the person already holds


def test_validate_refuses_a_seat_that_does_not_exist(con: Con) -> None:
    staff_for_every_seat(con)
    problems = committee.validate(con, YEAR, [*full_roster(), Member(22, "多的人", None, FIRST, LAST)])
    assert list(problems) == ["seat.22.seat"]


def test_validate_reports_every_problem_at_once(con: Con) -> None:
    staff_for_every_seat(con)
    roster = with_seat(full_roster(), 3, staff_code="NOPE")
    roster = with_seat(roster, 4, person_name="別人")
    roster = with_seat(roster, 9, start_date=date(2026, 3, 1), end_date=date(2026, 2, 1))
    assert set(committee.validate(con, YEAR, roster)) == {
        "seat.3.staff_code",
        "seat.4.person_name",
        "seat.9.dates",
    }


def test_a_departed_staff_member_may_still_be_named_on_a_roster(con: Con) -> None:
    """The code check reads the whole 教職員名冊 (staff_all), so a past year's roster stays valid."""
    staff_for_every_seat(con)
    con.execute("update staff set employment_status = '離職' where staff_code = $c", {"c": code_of(10)})
    assert committee.validate(con, YEAR, full_roster()) == {}


# --- check, save ------------------------------------------------------------------------


def test_check_reports_the_missing_seats_and_is_complete_only_at_21(con: Con) -> None:
    staff_for_every_seat(con)
    empty = committee.check(con, YEAR)
    assert (empty.filled, empty.seat_count, empty.complete) == (0, 21, False)
    assert empty.missing == tuple(s.name for s in committee.SEATS)

    left_out = {7, 21}
    committee.save(con, YEAR, [m for m in full_roster() if m.seat_no not in left_out], SECRETARY)
    partial = committee.check(con, YEAR)
    assert partial.filled == 21 - len(left_out)
    assert partial.missing == ("圖書館主任", "學生代表")
    assert not partial.complete

    result = committee.save(con, YEAR, full_roster(), SECRETARY)
    assert result == committee.check(con, YEAR)
    assert (result.filled, result.missing, result.complete) == (21, (), True)
    assert not committee.check(con, YEAR + 1).complete  # another year is its own roster


def test_a_blank_seat_is_not_stored(con: Con) -> None:
    staff_for_every_seat(con)
    committee.save(con, YEAR, with_seat(full_roster(), 8, person_name="  ", staff_code=None), SECRETARY)
    assert 8 not in {m.seat_no for m in committee.load(con, YEAR)}
    assert committee.check(con, YEAR).missing == ("課程諮詢教師代表",)


def test_save_stores_the_roster_with_who_and_when(con: Con) -> None:
    staff_for_every_seat(con)
    roster = with_seat(full_roster(), 20, person_name=" 陳家長 ", staff_code=" ")
    committee.save(con, YEAR, roster, ADMIN, SAVED_AT)
    loaded = committee.load(con, YEAR)
    assert loaded == with_seat(full_roster(), 20, person_name="陳家長", staff_code=None)
    assert set(
        con.execute("select updated_by, updated_at from committee_members where school_year = 114").fetchall()
    ) == {("admin", SAVED_AT)}


def test_saving_again_replaces_the_years_roster_only(con: Con) -> None:
    staff_for_every_seat(con)
    first, last = committee.year_bounds(YEAR - 1)
    older = [replace(m, start_date=first, end_date=last) for m in full_roster()]
    committee.save(con, YEAR - 1, older, SECRETARY)
    committee.save(con, YEAR, full_roster(), SECRETARY)
    add_staff(con, "N19", "新教師代表", "教師")
    changed = with_seat(full_roster(), 19, person_name="新教師代表", staff_code="N19")
    committee.save(con, YEAR, changed, SECRETARY)
    assert committee.load(con, YEAR) == changed
    assert committee.load(con, YEAR - 1) == older


@pytest.mark.parametrize("role", ["校長", "註冊組", "工作小組委員"])
def test_save_refuses_a_role_without_edit_meetings_and_writes_nothing(con: Con, role: str) -> None:
    staff_for_every_seat(con)
    assert not auth.can(role, "edit_meetings")
    with pytest.raises(committee.RosterError) as refused:
        committee.save(con, YEAR, full_roster(), auth.User("u", "某人", role))
    assert list(refused.value.problems) == ["user"]
    assert stored(con) == []


def test_a_refused_save_leaves_the_earlier_roster_intact(con: Con) -> None:
    staff_for_every_seat(con)
    committee.save(con, YEAR, full_roster(), SECRETARY, SAVED_AT)
    before = stored(con)
    bad = with_seat(full_roster(), 3, staff_code="NOPE")
    bad = with_seat(bad, 20, person_name="")  # would also empty a seat
    with pytest.raises(committee.RosterError) as refused:
        committee.save(con, YEAR, bad, SECRETARY)
    assert list(refused.value.problems) == ["seat.3.staff_code"]
    assert stored(con) == before
    with pytest.raises(committee.RosterError):
        committee.save(con, YEAR, full_roster(), auth.User("p", "校長", "校長"))
    assert stored(con) == before


# --- holders_on -------------------------------------------------------------------------


def test_holders_on_respects_the_term_dates(con: Con) -> None:
    staff_for_every_seat(con)
    joins, leaves = date(2025, 10, 1), date(2026, 1, 31)
    roster = with_seat(full_roster(), 19, start_date=joins)
    roster = with_seat(roster, 18, end_date=leaves)
    committee.save(con, YEAR, roster, SECRETARY)

    def seats_on(day: date) -> set[int]:
        return set(committee.holders_on(con, YEAR, day))

    everyone = set(range(1, 22))
    assert seats_on(FIRST) == everyone - {19}
    assert seats_on(date(2025, 9, 30)) == everyone - {19}
    assert seats_on(joins) == everyone  # both ends inclusive
    assert seats_on(leaves) == everyone
    assert seats_on(date(2026, 2, 1)) == everyone - {18}
    assert seats_on(LAST) == everyone - {18}
    holders = committee.holders_on(con, YEAR, joins)
    assert holders[19] == roster[18]
    assert holders[1].person_name == name_of(1)


def test_holders_on_reads_only_the_given_year(con: Con) -> None:
    staff_for_every_seat(con)
    committee.save(con, YEAR, full_roster(), SECRETARY)
    assert committee.holders_on(con, YEAR + 1, date(2026, 9, 1)) == {}
    assert committee.holders_on(con, YEAR, date(2026, 9, 1)) == {}  # after the term
