"""學期進度 (pages/pipeline.py) through AppTest on the demo school: every semester and division,
the drill-down in the URL and back, masked names for the principal, and figures equal to metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db
from dashboard.ingest.kinds import ACTIVE_STATUSES
from dashboard.measures import metrics
from dashboard.privacy import mask_name
from tests.app.conftest import (
    every_semester_and_division,
    page_test,
    scope_line,
    scoped_page,
    table_with,
    texts,
)

PAGE = "pages.pipeline"
LISTS = ("pipeline_no_upload_open", "pipeline_over_cap_open", "pipeline_selected_not_passed_open")


def _open_lists(at: AppTest) -> AppTest:
    """Click the three headline lists open (what the expander's click does)."""
    for key in LISTS:
        at.session_state[key] = True
    return at.run()


def _groups(at: AppTest) -> pd.DataFrame:
    return table_with(at, "在籍學生")


def _students(at: AppTest) -> pd.DataFrame:
    return table_with(at, "本學年勾選件數")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@every_semester_and_division
def test_every_semester_and_division(semester: str, division: str) -> None:
    at = scoped_page(PAGE, semester, division, role="註冊組")
    year, sem = metrics.parse_semester(semester)
    body = texts(at)
    assert "學期進度" in [t.value for t in at.title]
    assert scope_line(metrics.semester_label(year, sem), division) in body
    shown = _metrics(at)
    for stage in ("上傳", "送出認證", "認證完成", "勾選", "提交", "收訖確認"):
        assert stage in shown
    assert "學生上傳課程學習成果" in body and "教師認證" in body
    assert len(at.get("plotly_chart")) == 1
    level = "部別" if division == "全校" else "科別"
    assert level in _groups(at).columns and len(_groups(at)) > 1
    assert len(at.get("download_button")) >= 4


def _expected(year: int, semester: int, division: str | None, demo_db: Path) -> dict[str, Any]:
    con = db.connect(demo_db)
    try:
        sem = metrics.semester_metrics(con, year, semester, division)
        yr = metrics.year_metrics(con, year, division)
    finally:
        con.close()
    return {"sem": sem, "year": yr}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@pytest.mark.parametrize(
    ("semester", "division"), [("114-2", "進修部"), ("115-1", "全校"), ("114-2", "日間部")]
)
def test_figures_equal_metrics(semester: str, division: str, demo_db: Path) -> None:
    year, sem = metrics.parse_semester(semester)
    e = _expected(year, sem, metrics.normalize_division(division), demo_db)
    o, sel = e["sem"]["outcomes"], e["year"]["selection"]
    at = scoped_page(PAGE, semester, division)
    shown = _metrics(at)
    assert shown["上傳"] == _percent(o["upload_rate"])
    assert shown["認證完成"] == _percent(o["certification_rate"])
    assert shown["勾選"] == _percent(sel["selection_rate"])
    body = texts(at)
    assert f"{o['students_with_upload']:,} / {e['sem']['students_active']:,} 人" in body
    assert f"{o['submitted']:,} / {o['uploaded']:,} 件" in body
    assert f"{o['passed'] + o['failed']:,} / {o['submitted']:,} 件" in body
    assert f"{sel['students_with_selection']:,} / {e['year']['students_active']:,} 人" in body
    no_upload = e["sem"]["students_active"] - o["students_with_upload"]
    assert shown["未上傳課程學習成果"] == f"{no_upload:,} 人"
    assert shown["超過上傳上限"] == f"{o['students_over_cap']:,} 人"
    assert shown[f"勾選未通過（{year}學年度）"] == f"{sel['selected_not_passed']:,} 件"
    # One click opens each list behind the counts; they have exactly as many rows.
    assert not [d for d in at.dataframe if "學籍狀態" in d.value.columns]  # closed until clicked
    _open_lists(at)
    assert not at.exception
    lists = [d.value for d in at.dataframe if "學籍狀態" in d.value.columns and "部別" in d.value.columns]
    assert [len(t) for t in lists] == [no_upload, o["students_over_cap"]]
    assert len(table_with(at, "成果編號")) == sel["selected_not_passed"]


def _class_roster(demo_db: Path, year: int, semester: int, class_name: str) -> dict[str, str]:
    con = db.connect(demo_db)
    try:
        rows = con.execute(
            "select student_no, name from students where school_year = $y and semester = $s"
            " and class_name = $c"
            " and (list_contains($a, status) or (status = '畢業' and graduation_year = school_year))",
            {"y": year, "s": semester, "c": class_name, "a": list(ACTIVE_STATUSES)},
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def test_drill_down_in_the_url_and_back(demo_db: Path) -> None:
    query = {"semester": "114-2", "division": "日間部", "department": "機械科"}
    at = page_test(PAGE, query=query).run()
    assert not at.exception
    classes = _groups(at)
    assert "機一甲" in set(classes["班級"])
    assert at.query_params["department"] == "機械科"
    # One level down through the picker: the class lands in the URL and the students are listed.
    at.selectbox(key="pipeline_class").select("機一甲").run()
    assert not at.exception
    assert at.query_params["class"] == "機一甲"
    students = _students(at)
    roster = _class_roster(demo_db, 114, 2, "機一甲")
    assert sorted(students["學號"]) == sorted(roster)
    assert [students.loc[students["學號"] == no, "姓名"].item() for no in roster] == list(roster.values())
    row = classes[classes["班級"] == "機一甲"].iloc[0]
    assert len(students) == row["在籍學生"]
    assert students["上傳件數"].sum() == row["上傳件數"]
    assert "待處理名單（日間部 › 機械科 › 機一甲）" in texts(at)
    # Back up one level with the breadcrumb, then to the whole school.
    at.button(key="pipeline_crumb_department").click().run()
    assert not at.exception
    assert "class" not in at.query_params
    assert list(_groups(at)["班級"]) == list(classes["班級"])
    at.button(key="pipeline_crumb_school").click().run()
    assert not at.exception
    assert at.query_params["division"] == "全校"
    assert "department" not in at.query_params
    assert list(_groups(at)["部別"]) == ["日間部", "進修部"]


def test_a_link_to_a_class_opens_the_student_list_and_goes_back_up() -> None:
    query = {"semester": "115-1", "division": "進修部", "department": "電機科", "class": "進電一"}
    at = page_test(PAGE, query=query).run()
    assert not at.exception
    assert at.selectbox(key="pipeline_class").value == "進電一"
    assert len(_students(at)) > 0
    at.button(key="pipeline_up").click().run()
    assert not at.exception
    assert "class" not in at.query_params and at.query_params["department"] == "電機科"
    at.button(key="pipeline_up").click().run()
    assert not at.exception
    assert "department" not in at.query_params
    assert "電機科" in set(_groups(at)["科別"])


def test_the_principal_sees_masked_names(demo_db: Path) -> None:
    query = {"semester": "114-2", "division": "日間部", "department": "機械科", "class": "機一甲"}
    at = _open_lists(page_test(PAGE, role="校長", query=query))
    assert not at.exception
    roster = _class_roster(demo_db, 114, 2, "機一甲")
    students = _students(at)
    for no, name in roster.items():
        assert students.loc[students["學號"] == no, "姓名"].item() == mask_name(name)
    shown_names = [n for t in at.dataframe if "姓名" in t.value.columns for n in t.value["姓名"]]
    assert shown_names and not set(shown_names) & set(roster.values())


def test_an_empty_database_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit as st

    monkeypatch.setenv("PORTFOLIO_DB", str(tmp_path / "empty.duckdb"))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = page_test(PAGE).run()
    assert not at.exception
    assert any("尚無學期資料" in i.value for i in at.info)
