"""學籍異動 through AppTest on the demo school: the figures of dashboard.measures.enrolment, masking."""

from __future__ import annotations

import duckdb
import pytest

from dashboard.measures import enrolment
from tests.app.conftest import page_test, table_with, texts

PAGE = "pages.enrolment"


@pytest.mark.parametrize(("semester", "division"), [("114-2", "全校"), ("113-1", "進修部")])
def test_page_shows_the_changes_of_the_core(
    demo_con: duckdb.DuckDBPyConnection, semester: str, division: str
) -> None:
    year, term = (int(p) for p in semester.split("-"))
    expected = enrolment.changes(demo_con, year, term, None if division == "全校" else division)
    demo_con.close()
    at = page_test(PAGE, query={"semester": semester, "division": division}).run()
    assert not at.exception
    assert "學籍異動" in texts(at)
    assert expected, "the demo school has status changes in every semester"
    detail = table_with(at, "說明")
    assert sorted(detail["學號"]) == sorted(c.student_no for c in expected)
    summary = table_with(at, "人數")
    assert summary["人數"].sum() == len(expected)
    counted = {c.status for c in expected if c.counted}
    assert set(summary.loc[summary["計入"] == enrolment.COUNTED, "學籍狀態"]) == counted
    assert at.get("download_button")


def test_names_masked_for_the_principal_and_clear_for_the_registry(
    demo_con: duckdb.DuckDBPyConnection,
) -> None:
    expected = enrolment.changes(demo_con, 114, 2)
    demo_con.close()
    clear_names = {c.name for c in expected}
    principal = page_test(PAGE, role="校長", query={"semester": "114-2"}).run()
    assert not principal.exception
    shown = set(table_with(principal, "說明")["姓名"])
    assert "○" in "".join(shown) and not (shown & clear_names)
    registry = page_test(PAGE, role="註冊組", query={"semester": "114-2"}).run()
    assert set(table_with(registry, "說明")["姓名"]) == clear_names


def test_status_filter(demo_con: duckdb.DuckDBPyConnection) -> None:
    expected = [c for c in enrolment.changes(demo_con, 114, 2) if c.status == "休學"]
    demo_con.close()
    at = page_test(PAGE, query={"semester": "114-2"}).run()
    at.multiselect(key="enrolment_statuses").set_value(["休學"]).run()
    assert not at.exception
    assert sorted(table_with(at, "說明")["學號"]) == sorted(c.student_no for c in expected)
