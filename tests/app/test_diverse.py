"""多元表現與諮詢 through AppTest on the demo school: every figure is metrics.py's figure."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.measures import metrics
from dashboard.privacy import mask_name
from tests.app.conftest import page_test, table_with, texts


def number(text: str) -> int:
    return int(text.replace(",", "").split()[0])


@pytest.mark.parametrize(
    ("semester", "division"),
    [("113-1", "全校"), ("113-2", "日間部"), ("114-2", "進修部"), ("114-1", "全校"), ("115-1", "日間部")],
)
def test_figures_equal_the_metrics_core(
    demo_con: duckdb.DuckDBPyConnection, semester: str, division: str
) -> None:
    year, sem = metrics.parse_semester(semester)
    div = None if division == "全校" else division
    year_figures = metrics.year_metrics(demo_con, year, div)
    sem_figures = metrics.semester_metrics(demo_con, year, sem, div)
    demo_con.close()

    at = page_test("pages.diverse", role="工作小組委員", query={"semester": semester, "division": division})
    at.run()
    assert not at.exception
    assert "多元表現與諮詢" in [t.value for t in at.title]
    assert f"{metrics.semester_label(year, sem)} · {division} · 資料截至 115/11/16 08:00" in texts(at)

    categories = table_with(at, "類別")
    assert len(categories) == 10
    assert categories["件數"].sum() == year_figures["diverse"]["uploaded"]
    assert categories["勾選件數"].sum() == year_figures["selection"]["diverse_selected"]
    shown = {m.label: m.value for m in at.metric}
    assert number(shown["上傳件數"]) == year_figures["diverse"]["uploaded"]
    assert number(shown["超過上傳上限"]) == year_figures["diverse"]["students_over_cap"]
    for column, expected in (
        ("上傳件數", year_figures["diverse"]["students_over_cap"]),
        ("勾選件數", year_figures["selection"]["students_over_diverse_cap"]),
    ):
        listed = [d.value for d in at.dataframe if column in d.value.columns and "學號" in d.value.columns]
        assert (len(listed[0]) if listed else 0) == expected

    counselled = sem_figures["counselling"]["students_with_record"]
    assert number(shown["有諮詢紀錄"]) == counselled
    assert number(shown["在籍學生"]) == sem_figures["students_active"]
    coverage = [d.value for d in at.dataframe if "有諮詢紀錄" in d.value.columns]
    assert len(coverage) == 2  # by 科別 and by 年級
    for frame in coverage:
        assert frame["有諮詢紀錄"].sum() == counselled
        assert frame["在籍學生"].sum() == sem_figures["students_active"]


def table_by_columns(at: AppTest, first: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if list(d.value.columns)[:1] == [first]]
    assert len(found) == 1
    return found[0]


def test_coverage_tables_and_heat_map(demo_con: duckdb.DuckDBPyConnection) -> None:
    expected = metrics.semester_metrics(demo_con, 114, 1, "日間部")["counselling"]
    cells = demo_con.execute(
        "select s.department, s.grade, count(*), count(c.student_no) from students s"
        " left join (select distinct student_no from counselling where school_year = 114 and semester = 1) c"
        " on c.student_no = s.student_no"
        " where s.school_year = 114 and s.semester = 1 and s.division = '日間部'"
        " and s.status in ('在學', '復學', '轉入', '重讀', '借讀') group by all"
    ).fetchall()
    demo_con.close()
    at = page_test("pages.diverse", query={"semester": "114-1", "division": "日間部"}).run()
    assert not at.exception
    grades = table_by_columns(at, "年級")
    assert grades["有諮詢紀錄"].sum() == expected["students_with_record"]
    departments = table_by_columns(at, "科別")
    assert "部別" not in departments.columns  # one division: no 部別 column
    assert departments["有諮詢紀錄"].sum() == expected["students_with_record"]
    heat = [d.value for d in at.dataframe if "一年級" in d.value.columns]
    assert len(heat) == 1
    assert set(heat[0].index) == set(departments["科別"])
    grade_names = {1: "一年級", 2: "二年級", 3: "三年級"}
    for department, grade, active, counselled in cells:
        rate = metrics.rate(counselled, active)
        assert rate is not None
        assert heat[0].loc[department, grade_names[grade]] == f"{rate * 100:.1f}%"
    # The whole school has a row per 部別 and 科別 (both divisions have a 機械科); 四年級 only
    # exists in 進修部, so the 日間部 rows leave it empty.
    at.selectbox(key="diverse_division").select("全校").run()
    assert not at.exception
    assert at.query_params["division"] == "全校"
    assert {"部別", "科別"} <= set(table_by_columns(at, "部別").columns)
    whole = next(d.value for d in at.dataframe if "一年級" in d.value.columns)
    assert "進修部 機械科" in whole.index
    assert whole.loc["日間部 機械科", "四年級"] == ""


def test_names_are_masked_unless_the_role_may_see_them(demo_con: duckdb.DuckDBPyConnection) -> None:
    names = dict(
        demo_con.execute("select student_no, arg_max(name, semester) from students group by 1").fetchall()
    )
    demo_con.close()
    for role, clear in (("校長", False), ("註冊組", True)):
        at = page_test("pages.diverse", role=role, query={"semester": "114-2"}).run()
        assert not at.exception
        listed = [d.value for d in at.dataframe if "姓名" in d.value.columns]
        assert listed
        for frame in listed:
            for no, name in zip(frame["學號"], frame["姓名"], strict=True):
                assert name == (names[no] if clear else mask_name(names[no]))
        assert all("身分證" not in " ".join(map(str, d.value.columns)) for d in at.dataframe)


def test_every_table_has_an_export(demo_con: duckdb.DuckDBPyConnection) -> None:
    demo_con.close()
    at = page_test("pages.diverse", query={"semester": "114-2", "division": "日間部"}).run()
    assert not at.exception
    downloads = at.get("download_button")
    assert len(downloads) == len(at.dataframe) >= 5
