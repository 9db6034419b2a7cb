"""資料保存 through AppTest on the demo school: its own cohorts of 113 and 114 (the rosters of
113-2 and 114-2 are exports after graduation), and a cohort of 108 added so that one is past
its seal date: the cohort table, no purge form for the principal, the administrator's purge
and its errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard import db
from dashboard.registry import retention
from tests import school_fixture as f
from tests.app.conftest import page_test, texts

PAGE = "pages.retention"


def _add_graduates(demo_db: Path) -> None:
    """Cohort 108, sealed until 114/07/31: past 資料截至 115/11/16."""
    con = db.connect(demo_db)
    try:
        for no in ("G0801", "G0802"):
            f.student(con, no, 108, 2, status="畢業", grade=3, graduation_year=108)
            f.outcome(con, no, year=108, semester=2)
    finally:
        con.close()


def _demo_graduates(demo_db: Path) -> dict[int, int]:
    """The demo's graduates per 畢業學年度, read from its roster rows."""
    con = db.connect(demo_db)
    try:
        rows = con.execute(
            "select graduation_year, count(distinct student_no) from students"
            " where status = '畢業' group by graduation_year"
        ).fetchall()
    finally:
        con.close()
    return {int(y): int(n) for y, n in rows}


def _cohorts(at: AppTest) -> pd.DataFrame:
    tables = [d.value for d in at.dataframe if "封存至" in d.value.columns and "狀態" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def test_the_demo_has_two_sealed_cohorts(demo_db: Path) -> None:
    graduates = _demo_graduates(demo_db)
    assert sorted(graduates) == [113, 114] and min(graduates.values()) > 800
    at = page_test(PAGE, role="校長").run()
    assert not at.exception
    table = _cohorts(at)
    assert list(table["畢業學年度"]) == [113, 114]
    assert list(table["人數"]) == [graduates[113], graduates[114]]
    assert list(table["封存至"]) == ["119/07/31", "120/07/31"]
    assert list(table["狀態"]) == [retention.SEALED, retention.SEALED]


def test_principal_sees_cohorts_but_no_purge_form(demo_db: Path) -> None:
    _add_graduates(demo_db)
    at = page_test(PAGE, role="校長").run()
    assert not at.exception
    table = _cohorts(at)
    assert list(table["畢業學年度"]) == [108, 113, 114]
    assert list(table["狀態"]) == [retention.ELIGIBLE, retention.SEALED, retention.SEALED]
    assert list(table["封存至"]) == ["114/07/31", "119/07/31", "120/07/31"]
    assert not [t for t in at.text_input if t.key == "retention_confirmation"]
    assert not [b for b in at.button if b.key == "retention_submit"]


def test_admin_wrong_confirmation_shows_the_error_and_keeps_the_input(demo_db: Path) -> None:
    _add_graduates(demo_db)
    at = page_test(PAGE, role="管理者").run()
    assert not at.exception
    assert at.selectbox(key="retention_cohort").options == ["108學年度畢業"]  # only the eligible one
    at.text_input(key="retention_confirmation").input("108學年度")
    at.button(key="retention_submit").click().run()
    assert not at.exception
    assert any("確認文字不符" in e.value for e in at.error)
    assert at.text_input(key="retention_confirmation").value == "108學年度"
    assert list(_cohorts(at)["狀態"]) == [retention.ELIGIBLE, retention.SEALED, retention.SEALED]
    con = db.connect(demo_db)
    try:
        assert con.execute("select count(*) from students where student_no like 'G08%'").fetchone() == (2,)
    finally:
        con.close()


def test_admin_purges_an_eligible_cohort(demo_db: Path) -> None:
    _add_graduates(demo_db)
    at = page_test(PAGE, role="管理者").run()
    at.text_input(key="retention_confirmation").input("108學年度畢業")
    at.button(key="retention_submit").click().run()
    assert not at.exception
    assert not at.error
    assert any("已刪除108學年度畢業生的個人資料" in s.value for s in at.success)
    assert list(_cohorts(at)["狀態"]) == [retention.PURGED, retention.SEALED, retention.SEALED]
    log = [d.value for d in at.dataframe if "確認文字" in d.value.columns]
    assert len(log) == 1 and list(log[0]["確認文字"]) == ["108學年度畢業"]
    assert "刪除紀錄" in texts(at)
