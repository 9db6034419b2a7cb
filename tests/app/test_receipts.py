"""收訖確認 through AppTest on the demo school: every year and division equals metrics.year_metrics,
the dispute filter read from the URL, and names masked for the principal."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.measures import metrics
from dashboard.privacy import mask_name
from dashboard.registry import receipts
from tests.app.conftest import every_semester_and_division, page_test, table_with, texts, year_page

PAGE = "pages.receipts"


@every_semester_and_division
def test_every_year_and_division_equals_year_metrics(demo_db: Path, semester: str, division: str) -> None:
    at, expected = year_page(PAGE, demo_db, semester, division, "receipts")
    per_roster = _roster_table(at).set_index("名冊別")
    for roster, figures in expected.items():
        assert per_roster.loc[roster, "名冊人數"] == figures["listed"]
        assert per_roster.loc[roster, "確認人數"] == figures["confirmed"]
        assert per_roster.loc[roster, "回報人數"] == figures["reported"]
        assert per_roster.loc[roster, "未確認人數"] == figures["unconfirmed"]
    reported = sum(f["reported"] for f in expected.values())
    assert f"回報錯誤（件）={reported:,}" in texts(at)


def _roster_table(at: AppTest) -> pd.DataFrame:
    return next(
        d.value for d in at.dataframe if "班級" not in d.value.columns and "名冊人數" in d.value.columns
    )


def test_overdue_filter_from_the_url_and_masked_names(demo_con: duckdb.DuckDBPyConnection) -> None:
    items = receipts.disputes(demo_con, 114)
    overdue = [d for d in items if d.status in ("逾期答覆", "未答覆（逾期）")]
    demo_con.close()
    at = page_test(PAGE, role="校長", query={"semester": "114-2", "dispute": "overdue"}).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="receipts_dispute").value == "只看逾期"
    table = table_with(at, "協助確認單位")
    assert sorted(table["學號"]) == sorted(d.student_no for d in overdue)
    assert set(table["狀態"]) <= {"逾期答覆", "未答覆（逾期）"}
    assert list(table["姓名"]) == [mask_name(d.student_name) for d in overdue]
    assert all("○" in name for name in table["姓名"])
    assert "學生姓名已遮蔽" in texts(at)


def test_registry_sees_names_and_roster_filter(demo_con: duckdb.DuckDBPyConnection) -> None:
    items = [d for d in receipts.disputes(demo_con, 113) if d.roster == "修課紀錄"]
    expected = metrics.year_metrics(demo_con, 113)["receipts"]["修課紀錄"]
    demo_con.close()
    at = page_test(PAGE, role="註冊組", query={"semester": "113-2", "roster": "修課紀錄"}).run()
    assert not at.exception, at.exception
    table = table_with(at, "協助確認單位")
    assert list(table["姓名"]) == [d.student_name for d in items]
    assert set(table["名冊別"]) == {"修課紀錄"}
    classes = next(
        t for t in [d.value for d in at.dataframe] if "班級" in t.columns and "名冊人數" in t.columns
    )
    assert classes["名冊人數"].sum() == expected["listed"]
    assert list(_roster_table(at)["名冊別"]) == ["修課紀錄"]
