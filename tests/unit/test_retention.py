"""Art. 8 retention: seal dates from the rule in force, the purge's guards, what it removes
and keeps, and that a failure half-way leaves the database exactly as it was."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import duckdb
import pytest

from dashboard.auth import User
from dashboard.registry import retention
from tests import school_fixture as f

Con = duckdb.DuckDBPyConnection
ADMIN = User("admin", "管理者甲", "管理者")
REGISTRY = User("clerk", "註冊組乙", "註冊組")
TABLES = ("students", "outcomes", "diverse", "cadres", "counselling", "receipts", "data_warnings")


def _graduate(
    con: Con, no: str, graduation_year: int, *, division: str = "日間部", via: str = "status"
) -> None:
    """A student in grade 3 of the graduation year: 在學 in semester 1, then graduated.

    via="status": the semester-2 row says 畢業 and 畢業學年度 is empty (taken from its 學年度);
    via="year": the row stays 在學 but 畢業學年度 is filled in.
    """
    f.student(con, no, graduation_year, 1, division=division, grade=3)
    f.student(
        con, no, graduation_year, 2, division=division, grade=3, status="畢業" if via == "status" else "在學"
    )
    if via == "year":
        con.execute(
            "update students set graduation_year = $y where student_no = $no",
            {"y": graduation_year, "no": no},
        )
    f.outcome(con, no, "T01", "通過", year=graduation_year, selected=True)
    f.outcome(con, no, "T01", "未通過", year=graduation_year, semester=2)
    f.diverse(con, no, graduation_year, selected=True)
    con.execute(
        "insert into cadres (school_year, semester, student_no, cadre_level, unit_name, position)"
        " values ($y, 1, $no, '班級', '機三甲', '班長')",
        {"y": graduation_year, "no": no},
    )
    f.counselling(con, no, date(graduation_year + 1911, 10, 1), year=graduation_year)
    f.receipt(con, no, "課程學習成果", "已確認", year=graduation_year)
    con.execute(
        "insert into data_warnings (category, kind, school_year, student_no, message)"
        " values ('over_cap', 'outcomes', $y, $no, 'x')",
        {"y": graduation_year, "no": no},
    )


@pytest.fixture
def school(con: Con) -> Con:
    """Cohort 108: G1 (日間部, 畢業 row), G2 (進修部, 畢業學年度 set); cohort 109: H1; S01 still 在學."""
    _graduate(con, "G1", 108)
    _graduate(con, "G2", 108, division="進修部", via="year")
    _graduate(con, "H1", 109)
    f.student(con, "S01", 113, 1)
    f.outcome(con, "S01", year=113)
    f.diverse(con, "S01", 113)
    f.receipt(con, "S01", "多元表現", "未確認")
    return con


def _counts(con: Con) -> dict[str, int]:
    out = {}
    for table in TABLES:  # fixed tuple of table names above
        # The relational API names the table without composing SQL text.
        [(n,)] = con.table(table).count("*").fetchall()
        out[table] = n
    return out


def _snapshot(con: Con) -> dict[str, Any]:
    snap: dict[str, Any] = {}
    for table in (*TABLES, "purge_log", "archived_aggregates"):  # fixed names
        snap[table] = sorted(map(str, con.table(table).fetchall()))
    return snap


def test_cohorts_and_seal_dates(school: Con) -> None:
    cohorts = {c.graduation_year: c for c in retention.cohorts(school)}
    assert sorted(cohorts) == [108, 109]
    assert cohorts[108].students_count == 2 and cohorts[109].students_count == 1
    # 108學年度 ends 2020-07-31 (民國 109); + 5 years.
    assert cohorts[108].sealed_until == date(2025, 7, 31)
    assert cohorts[109].sealed_until == date(2026, 7, 31)
    assert cohorts[108].label == "108學年度畢業"


def test_a_post_graduation_roster_gives_the_cohort_by_its_graduation_year(school: Con) -> None:
    """The platform's export after graduation: 畢業 with 畢業學年度 113 in 113-2. A later roster
    that still lists the student as 畢業 of 113 does not move them to a later cohort."""
    f.student(school, "K1", 113, 1, grade=3)
    f.student(school, "K1", 113, 2, grade=3, status="畢業", graduation_year=113)
    f.student(school, "K2", 113, 2, grade=3, division="進修部", status="畢業", graduation_year=113)
    f.student(school, "K2", 114, 1, grade=3, division="進修部", status="畢業", graduation_year=113)
    cohorts = {c.graduation_year: c for c in retention.cohorts(school)}
    assert sorted(cohorts) == [108, 109, 113]
    assert cohorts[113].students_count == 2 and cohorts[113].sealed_until == date(2030, 7, 31)
    assert not retention.eligible(cohorts[113], date(2026, 11, 16))


def test_seal_date_follows_the_rule_in_force_for_the_cohort(school: Con) -> None:
    f.rule(school, "retention_years_after_graduation", 6, 109)
    cohorts = {c.graduation_year: c for c in retention.cohorts(school)}
    assert cohorts[108].retention_years == 5 and cohorts[108].sealed_until == date(2025, 7, 31)
    assert cohorts[109].retention_years == 6 and cohorts[109].sealed_until == date(2027, 7, 31)


def test_eligible_only_after_the_seal_date(school: Con) -> None:
    c = retention.cohort(school, 108)
    assert c is not None
    assert not retention.eligible(c, date(2025, 7, 31))
    assert retention.eligible(c, date(2025, 8, 1))
    assert c.status(date(2025, 7, 31)) == retention.SEALED
    assert c.status(date(2025, 8, 1)) == retention.ELIGIBLE


def test_refused_on_the_seal_date_itself_and_done_the_day_after(school: Con) -> None:
    before = _snapshot(school)
    with pytest.raises(retention.RetentionError) as err:
        retention.purge(school, 108, user=ADMIN, confirmation="108學年度畢業", today=date(2025, 7, 31))
    assert str(err.value) == "108學年度畢業生的資料封存至 114/07/31，期滿前不得刪除。"
    assert _snapshot(school) == before
    result = retention.purge(school, 108, user=ADMIN, confirmation="108學年度畢業", today=date(2025, 8, 1))
    assert result.rows_removed["students"] == 4  # two rows each for G1 and G2
    assert retention.cohort(school, 108) is not None


@pytest.mark.parametrize("typed", ["", "108學年度", "108學年度畢業 ", "109學年度畢業", "１０８學年度畢業"])
def test_refused_with_a_wrong_confirmation(school: Con, typed: str) -> None:
    before = _snapshot(school)
    with pytest.raises(retention.RetentionError, match="確認文字不符"):
        retention.purge(school, 108, user=ADMIN, confirmation=typed, today=date(2026, 1, 1))
    assert _snapshot(school) == before


def test_refused_for_anyone_but_the_administrator(school: Con) -> None:
    before = _snapshot(school)
    for role in ("註冊組", "執行秘書", "校長", "工作小組委員"):
        with pytest.raises(retention.RetentionError, match="只有管理者"):
            retention.purge(
                school, 108, user=User("x", "x", role), confirmation="108學年度畢業", today=date(2026, 1, 1)
            )
    assert _snapshot(school) == before


def test_refused_for_a_cohort_not_in_the_database(school: Con) -> None:
    with pytest.raises(retention.RetentionError, match="沒有"):
        retention.purge(school, 100, user=ADMIN, confirmation="100學年度畢業", today=date(2030, 1, 1))


def test_purge_removes_the_cohort_everywhere_and_keeps_counts_and_log(school: Con) -> None:
    before = _counts(school)
    result = retention.purge(school, 108, user=ADMIN, confirmation="108學年度畢業", today=date(2026, 11, 16))
    for table in TABLES:  # fixed tuple
        left = school.table(table).filter("student_no in ('G1', 'G2')").count("*").fetchall()
        assert left == [(0,)], table
    after = _counts(school)
    expected_removed = {
        "students": 4,
        "outcomes": 4,
        "diverse": 2,
        "cadres": 2,
        "counselling": 2,
        "receipts": 2,
        "data_warnings": 2,
    }
    assert result.rows_removed == expected_removed
    assert {t: before[t] - after[t] for t in TABLES} == expected_removed
    # Others untouched: cohort 109 and the current student.
    for no in ("H1", "S01"):
        row = school.execute("select count(*) from students where student_no = $no", {"no": no}).fetchone()
        assert row is not None and row[0] >= 1
    assert school.execute("select count(*) from outcomes where student_no in ('H1', 'S01')").fetchone() == (
        3,
    )

    kept = school.execute(
        "select division, students_count, outcomes_uploaded, outcomes_passed, outcomes_selected,"
        " diverse_uploaded, diverse_selected, cadres_count, counselling_count, receipts_count"
        " from archived_aggregates where graduation_year = 108 order by division"
    ).fetchall()
    assert kept == [("日間部", 1, 2, 1, 1, 1, 1, 1, 1, 1), ("進修部", 1, 2, 1, 1, 1, 1, 1, 1, 1)]
    log = retention.purge_log(school)
    assert len(log) == 1
    entry = log[0]
    assert entry["graduation_year"] == 108 and entry["purged_by"] == "admin"
    assert entry["confirmation"] == "108學年度畢業" and entry["decided_on"] == date(2026, 11, 16)
    assert json.loads(entry["rows_removed"]) == expected_removed
    assert [a["students_count"] for a in json.loads(entry["aggregates"])] == [1, 1]
    # No personal data in what is kept.
    assert "G1" not in str(entry) and "G2" not in str(entry)

    cohort = retention.cohort(school, 108)
    assert cohort is not None and cohort.students_count == 0 and cohort.purged_students_count == 2
    assert cohort.status(date(2026, 11, 16)) == retention.PURGED
    with pytest.raises(retention.RetentionError, match="沒有"):
        retention.purge(school, 108, user=ADMIN, confirmation="108學年度畢業", today=date(2026, 11, 16))


def test_a_failure_half_way_rolls_everything_back(school: Con, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _snapshot(school)
    deleted: list[dict[str, int]] = []
    real_delete = retention._delete_personal_rows

    def delete_then_record(cur: Con, nos: list[str]) -> dict[str, int]:
        removed = real_delete(cur, nos)
        deleted.append(removed)
        return removed

    def broken_store(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(retention, "_delete_personal_rows", delete_then_record)
    monkeypatch.setattr(retention, "_store_aggregates", broken_store)
    with pytest.raises(RuntimeError, match="disk full"):
        retention.purge(school, 108, user=ADMIN, confirmation="108學年度畢業", today=date(2026, 1, 1))
    assert deleted and deleted[0]["students"] == 4  # the deletes really ran before the failure
    assert _snapshot(school) == before
