"""紙本通知 through AppTest on the demo school: the list, the addresses and the PDF only for the
roles that send letters, the filters in the URL."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.privacy import mask_name
from dashboard.registry import notices
from tests.app.conftest import page_test, texts

PAGE = "pages.notices"


def _run(query: dict[str, str], role: str) -> AppTest:
    at = page_test(PAGE, role=role, query=query).run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest) -> pd.DataFrame:
    tables = [d.value for d in at.dataframe if "離校原因" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def _metric(at: AppTest, label: str) -> str:
    return next(str(m.value) for m in at.metric if m.label == label)


def test_registry_sees_addresses_and_gets_letters(demo_con: duckdb.DuckDBPyConnection) -> None:
    expected = notices.recipients(demo_con, may_see_addresses=True)
    assert expected and any(r.address for r in expected)
    demo_con.close()
    at = _run({}, "註冊組")
    assert at.title[0].value == "紙本通知"
    assert "資料截至 115/11/16 08:00" in texts(at)
    assert _metric(at, "通知人數") == f"{len(expected):,}"
    table = _table(at)
    assert list(table["學號"]) == [r.student_no for r in expected]
    assert list(table["姓名"]) == [r.name for r in expected]
    assert list(table["郵遞地址"]) == [r.address or "" for r in expected]
    downloads: list[Any] = at.get("download_button")
    assert len(downloads) == 2  # the mailing list and the letters


def test_principal_has_no_addresses_and_no_letters(demo_con: duckdb.DuckDBPyConnection) -> None:
    expected = notices.recipients(demo_con, may_see_addresses=True)
    addresses = {r.address for r in expected if r.address}
    demo_con.close()
    at = _run({}, "校長")
    table = _table(at)
    assert "郵遞地址" not in table.columns
    assert list(table["姓名"]) == [mask_name(r.name) for r in expected]
    shown = "\n".join(table.astype(str).to_numpy().ravel())
    assert not any(a in shown for a in addresses)
    downloads: list[Any] = at.get("download_button")
    assert len(downloads) == 1  # the mailing list only
    assert "只有管理者與註冊組可以產生" in texts(at)


def test_filters_come_from_the_url(demo_con: duckdb.DuckDBPyConnection) -> None:
    expected = notices.recipients(demo_con, year=114, semester=2, division="進修部", may_see_addresses=True)
    demo_con.close()
    at = _run({"receipts": "114-2", "division": "進修部"}, "管理者")
    assert at.selectbox(key="notices_scope").value == "114-2"
    assert at.selectbox(key="notices_division").value == "進修部"
    if expected:
        assert list(_table(at)["學號"]) == [r.student_no for r in expected]
        assert set(_table(at)["部別"]) == {"進修部"}
    else:
        assert "沒有需要寄送" in "\n".join(s.value for s in at.success)


def test_the_demo_finds_its_graduates_of_113_and_114(demo_con: duckdb.DuckDBPyConnection) -> None:
    """The demo's 113-2 and 114-2 rosters are exports after graduation: each 畢業 row with a
    未確認 receipt is a leaver, with the day it left, in both divisions."""
    graduated = {
        no: (year, left_on)
        for no, year, left_on in demo_con.execute(
            "select student_no, graduation_year, status_changed_on from students where status = '畢業'"
        ).fetchall()
    }
    expected = notices.recipients(demo_con, may_see_addresses=True)
    demo_con.close()
    leavers = {r.student_no: r for r in expected if r.reason == "畢業"}
    found = {no: graduated[no] for no in leavers if no in graduated}
    assert {year for year, _ in found.values()} == {113, 114}
    assert all(leavers[no].left_on == left_on for no, (_, left_on) in found.items())
    assert {leavers[no].division for no in found} == {"日間部", "進修部"}
    assert all(leavers[no].address for no in found)
    at = _run({}, "註冊組")
    assert _metric(at, "畢業") == f"{len(leavers):,}"
    assert set(found) <= set(_table(at)["學號"])
