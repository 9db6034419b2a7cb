"""多元表現 by category, the over-cap lists and 課程諮詢 coverage add up to metrics.py's figures."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from dashboard.measures import diverse, metrics
from tests import school_fixture

DIVISIONS = [None, "日間部", "進修部"]


@pytest.mark.parametrize("year", [113, 114])
@pytest.mark.parametrize("division", DIVISIONS)
def test_categories_add_up_to_year_metrics(
    demo_con: duckdb.DuckDBPyConnection, year: int, division: str | None
) -> None:
    expected = metrics.year_metrics(demo_con, year, division)
    rows = diverse.by_category(demo_con, year, division)
    assert [r["category"] for r in rows] == list(diverse.CATEGORIES)
    assert len(rows) == 10
    assert sum(r["item_count"] for r in rows) == expected["diverse"]["uploaded"] > 0
    assert sum(r["selected_count"] for r in rows) == expected["selection"]["diverse_selected"]
    assert max(r["students_with_item"] for r in rows) <= expected["diverse"]["students_with_upload"]
    over = diverse.students_over_caps(demo_con, year, division)
    assert len(over["upload"]) == expected["diverse"]["students_over_cap"]
    assert len(over["selection"]) == expected["selection"]["students_over_diverse_cap"]
    assert all(r["count"] > r["cap"] == 20 for r in over["upload"])
    assert all(r["count"] > r["cap"] == 10 for r in over["selection"])


def test_category_students_are_distinct_per_category(demo_con: duckdb.DuckDBPyConnection) -> None:
    row = next(r for r in diverse.by_category(demo_con, 114, "日間部") if r["category"] == "檢定證照紀錄")
    direct = demo_con.execute(
        "select count(distinct d.student_no) from diverse d"
        " join active_students_of_year(114, '日間部', $s) a on a.student_no = d.student_no"
        " where d.school_year = 114 and d.category = '檢定證照紀錄'",
        {"s": ["在學", "復學", "轉入", "重讀", "借讀"]},
    ).fetchone()
    assert direct is not None
    assert row["students_with_item"] == direct[0]


@pytest.mark.parametrize(("year", "semester"), [(113, 1), (114, 2), (115, 1)])
@pytest.mark.parametrize("division", DIVISIONS)
def test_counselling_groups_add_up_to_semester_metrics(
    demo_con: duckdb.DuckDBPyConnection, year: int, semester: int, division: str | None
) -> None:
    expected = metrics.semester_metrics(demo_con, year, semester, division)
    cells = diverse.counselling_cells(demo_con, year, semester, division)
    for rows in (cells, diverse.counselling_by(cells, "department"), diverse.counselling_by(cells, "grade")):
        assert sum(r["students_with_record"] for r in rows) == expected["counselling"]["students_with_record"]
        assert sum(r["students_active"] for r in rows) == expected["students_active"]
    if division is not None:
        assert {c["division"] for c in cells} == {division}


def test_hand_counted_caps_and_roster_details(con: duckdb.DuckDBPyConnection) -> None:
    """Caps lowered to 2 uploads / 1 selected from 113. S01 (日間部, moves class in 113-2) has 3
    items; S02 (進修部) 2 items both selected; S03 (休學 all year) 5 items: not active; X99 is
    not on the roster."""
    school_fixture.rule(con, "diverse_upload_cap_per_year", 2, 113)
    school_fixture.rule(con, "diverse_selection_cap_per_year", 1, 113)
    school_fixture.student(con, "S01", 113, 1, class_name="機一甲")
    school_fixture.student(con, "S01", 113, 2, class_name="機一乙")
    school_fixture.student(con, "S02", 113, 1, division="進修部", class_name="進機一")
    school_fixture.student(con, "S03", 113, 1, status="休學")
    for _ in range(3):
        school_fixture.diverse(con, "S01", category="檢定證照紀錄")
    school_fixture.diverse(con, "S02", selected=True)
    school_fixture.diverse(con, "S02", selected=True, semester=2)
    for _ in range(5):
        school_fixture.diverse(con, "S03")
    school_fixture.diverse(con, "X99")
    over = diverse.students_over_caps(con, 113)
    assert over["upload"] == [
        {"student_no": "S01", "student_name": "學生S01", "class_name": "機一乙", "count": 3, "cap": 2}
    ]
    assert over["selection"] == [
        {"student_no": "S02", "student_name": "學生S02", "class_name": "進機一", "count": 2, "cap": 1}
    ]
    assert diverse.students_over_caps(con, 113, "進修部")["upload"] == []
    assert diverse.students_over_caps(con, 112)["upload"] == []  # no rows in 112
    counts = {r["category"]: r for r in diverse.by_category(con, 113)}
    assert counts["檢定證照紀錄"] == {
        "category": "檢定證照紀錄",
        "item_count": 3,
        "students_with_item": 1,
        "selected_count": 0,
    }
    assert counts["競賽參與紀錄"]["item_count"] == 2
    assert counts["競賽參與紀錄"]["selected_count"] == 2
    assert sum(r["item_count"] for r in counts.values()) == 5


def test_hand_counted_counselling_cells(con: duckdb.DuckDBPyConnection) -> None:
    """See school_fixture.semester_school: in 113-1 S01 and S02 (日間部 機械科 1年級) are active and
    S01 has records; S04 and S07 (進修部 電機科) are active and S04 has one."""
    school_fixture.semester_school(con)
    school_fixture.student(con, "S08", grade=2, class_name="機二甲")
    school_fixture.counselling(con, "S08", date(2024, 12, 1))
    cells = diverse.counselling_cells(con, 113, 1)
    assert [
        (c["division"], c["department"], c["grade"], c["students_active"], c["students_with_record"])
        for c in cells
    ] == [
        ("日間部", "機械科", 1, 2, 1),
        ("日間部", "機械科", 2, 1, 1),
        ("進修部", "電機科", 1, 2, 1),
    ]
    by_grade = diverse.counselling_by(cells, "grade")
    assert [(g["grade"], g["students_active"], g["students_with_record"], g["rate"]) for g in by_grade] == [
        (1, 4, 2, 0.5),
        (2, 1, 1, 1.0),
    ]
    by_department = diverse.counselling_by(cells, "department")
    assert [(d["division"], d["department"], d["rate"]) for d in by_department] == [
        ("日間部", "機械科", 0.6667),
        ("進修部", "電機科", 0.5),
    ]
    with pytest.raises(ValueError, match="分組方式"):
        diverse.counselling_by(cells, "class")  # type: ignore[arg-type]
