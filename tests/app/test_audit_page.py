"""稽核紀錄 through AppTest (issue [8/11] build 4): 管理者 and 校長 read the audit log, others are
refused; the table holds what the log holds for the period, filtered by account and action, in
民國 time; the count has separators; the Excel export holds every matching entry, stamped.

Expected rows are read from the test's own copy of the demo database with SQL, never typed in."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dashboard import audit, auth, db
from dashboard.formatting import roc_datetime
from dashboard.records import trainings
from dashboard.school_calendar import school_now
from tests.app.conftest import page_test, table_with, texts
from tests.unit.test_trainings import CLERK, GOOD

PAGE = "pages.audit"
Downloads = dict[str, tuple[str, Callable[[], Any]]]


@pytest.fixture
def logged(demo_db: Path) -> Path:
    """The demo school with a few real entries of today: a form write, a refused and a good
    sign-in, and an entry of 40 days ago that the default 30-day period leaves out."""
    con = db.connect(demo_db)
    try:
        trainings.add(con, GOOD, CLERK)
        auth.add_user(con, "auditor1", "auditor-pass1", "註冊組", "稽核測試")
        assert auth.authenticate(con, "auditor1", "wrong-pass", address="10.1.2.3") is None
        assert auth.authenticate(con, "auditor1", "auditor-pass1", address="10.1.2.3") is not None
        with db.transaction(con) as cur:
            audit.record(
                cur, audit.FORM_SAVED, "old-entry", detail="舊紀錄", at=school_now() - timedelta(days=40)
            )
    finally:
        con.close()
    return demo_db


def _expected(demo_db: Path, where: str = "true", **params: Any) -> list[tuple[Any, ...]]:
    today = school_now().date()
    con = db.connect(demo_db)
    try:
        return con.execute(
            "select happened_at, username, action from audit_log"
            " where happened_at >= $first and happened_at < $next and "
            + where
            + " order by happened_at desc, entry_id desc",
            {"first": today - timedelta(days=29), "next": today + timedelta(days=1), **params},
        ).fetchall()
    finally:
        con.close()


def _shown(at: Any) -> list[tuple[str, str, str]]:
    table = table_with(at, "來源位址")
    return [(r["時間"], r["帳號"], r["動作"]) for r in table.to_dict("records")]


def _as_shown(rows: list[tuple[Any, ...]]) -> list[tuple[str, str, str]]:
    return [(roc_datetime(t, seconds=True), u or "—", a) for t, u, a in rows]


@pytest.mark.parametrize("role", ["工作小組委員", "註冊組", "執行秘書"])
def test_other_roles_are_refused(logged: Path, role: str) -> None:
    at = page_test(PAGE, role).run()
    assert not at.exception
    assert any("沒有使用此頁面的權限" in e.value for e in at.error)
    assert not at.dataframe


@pytest.mark.parametrize("role", ["管理者", "校長"])
def test_the_last_30_days_are_shown_newest_first_in_roc_time(logged: Path, role: str) -> None:
    at = page_test(PAGE, role).run()
    assert not at.exception, [e.value for e in at.exception]
    expected = _expected(logged)
    assert expected and "old-entry" not in [u for _, u, _ in expected]
    assert _shown(at) == _as_shown(expected)
    assert re.search(rf"共 {len(expected):,} 筆", texts(at))
    assert all(re.fullmatch(r"\d{3}/\d\d/\d\d \d\d:\d\d:\d\d", t) for t, _, _ in _shown(at))
    table = table_with(at, "來源位址")
    assert "10.1.2.3" in set(table["來源位址"])  # the sign-ins' address
    assert not table.isna().any().any() and "None" not in table.to_string()


def test_filters_by_account_and_action(logged: Path) -> None:
    at = page_test(PAGE, "管理者").run()
    at.selectbox(key="audit_account").set_value("auditor1").run()
    assert _shown(at) == _as_shown(_expected(logged, "username = $u", u="auditor1"))
    assert {a for _, _, a in _shown(at)} == {audit.SIGN_IN_FAILED, audit.SIGN_IN_OK}
    at.multiselect(key="audit_actions").set_value([audit.SIGN_IN_FAILED]).run()
    assert _shown(at) == _as_shown(
        _expected(logged, "username = $u and action = $a", u="auditor1", a=audit.SIGN_IN_FAILED)
    )


def test_a_longer_period_reaches_the_old_entry_and_a_reversed_one_is_refused(logged: Path) -> None:
    at = page_test(PAGE, "管理者").run()
    today = school_now().date()
    at.date_input(key="audit_first").set_value(today - timedelta(days=45)).run()
    assert "old-entry" in [u for _, u, _ in _shown(at)]
    at.date_input(key="audit_first").set_value(today + timedelta(days=1)).run()
    assert any("晚於迄日" in e.value for e in at.error)
    assert not at.dataframe


def test_the_export_holds_every_matching_entry_with_the_stamp(logged: Path, downloads: Downloads) -> None:
    at = page_test(PAGE, "管理者").run()
    assert not at.exception
    file_name, build = downloads["audit_export"]
    assert re.fullmatch(r"稽核紀錄_\d{7}-\d{7}\.xlsx", file_name)
    expected = _as_shown(_expected(logged))
    frame = pd.read_excel(io.BytesIO(build()), header=1, engine="calamine", dtype=str)
    assert list(frame.columns) == ["時間", "帳號", "動作", "內容", "頁面", "來源位址"]
    assert [tuple(r) for r in frame[["時間", "帳號", "動作"]].itertuples(index=False)] == expected
    # the export is itself an entry (and the next view shows it)
    assert _expected(logged, "action = $a", a=audit.EXPORTED)
