"""Every page through Streamlit's AppTest on the demo school: no exception, the right content.

Pages are rendered through their `render` functions (what app.py hands to st.Page), with a
signed-in user placed in session state; the router and its sign-in gate get tests of their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP, ROOT, TIMEOUT, page_test, texts


def test_router_shows_only_the_login_to_a_visitor() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.text_input(key="login_username") is not None
    assert "總覽" not in [t.value for t in at.title]


def test_page_file_run_directly_goes_through_the_gate() -> None:
    # What Streamlit's file-based routing does on a deep link before app.py has run.
    at = AppTest.from_file(str(ROOT / "pages" / "import_data.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.text_input(key="login_username") is not None
    assert "資料匯入" not in [t.value for t in at.title]


def test_login_with_demo_account_then_wrong_password() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.text_input(key="login_username").input("registry")
    at.text_input(key="login_password").input("wrong-password")
    at.button(key="login_submit").click().run()
    assert not at.exception
    assert any("帳號或密碼不正確" in e.value for e in at.error)
    at.text_input(key="login_password").input("demo1234")
    at.button(key="login_submit").click().run()
    assert not at.exception
    assert at.session_state["auth_user"].role == "註冊組"
    assert "總覽" in [t.value for t in at.title]


def test_the_sixth_sign_in_is_refused_with_the_wait_said_and_nobody_is_signed_in() -> None:
    # "member" signs in by the form in no other test: its lock-out cannot leak into them
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.text_input(key="login_username").input("member")
    for attempt in range(5):
        at.text_input(key="login_password").input(f"wrong-password-{attempt}")
        at.button(key="login_submit").click().run()
        assert any("帳號或密碼不正確" in e.value for e in at.error)
    at.text_input(key="login_password").input("demo1234")
    at.button(key="login_submit").click().run()
    assert not at.exception
    assert any("15 分鐘" in e.value for e in at.error)
    assert "auth_user" not in at.session_state


@pytest.mark.parametrize("semester_index", [0, 1, 4])
def test_overview_every_division(semester_index: int) -> None:
    at = page_test("pages.overview").run()
    assert not at.exception
    box = at.selectbox(key="overview_semester")
    box.select(box.options[semester_index]).run()
    assert not at.exception
    body = texts(at)
    for division in ("全校", "日間部", "進修部"):
        assert division in body
    assert "資料截至 115/11/16 08:00" in body
    # six figures for each of the three divisions, and the four of the meetings panel
    assert len(at.metric) == 18 + 4


def test_overview_figures_equal_the_metrics_core(demo_db: Path) -> None:
    from dashboard import db
    from dashboard.measures import metrics

    con = db.connect(demo_db)
    try:
        expected = metrics.semester_metrics(con, 115, 1, "進修部")
    finally:
        con.close()
    at = page_test("pages.overview").run()
    shown = {m.label: m.value for m in at.metric[12:18]}  # third column: 進修部
    assert shown["在籍學生"] == f"{expected['students_active']:,}"
    assert shown["待認證件數"] == f"{expected['outcomes']['pending']:,}"


def test_import_page_needs_the_permission() -> None:
    at = page_test("pages.import_data", role="校長").run()
    assert not at.exception
    assert any("沒有使用此頁面的權限" in e.value for e in at.error)
    at = page_test("pages.import_data", role="註冊組").run()
    assert not at.exception
    assert "資料匯入" in [t.value for t in at.title]


def _warnings_table(at: AppTest) -> object:
    # AppTest finds dataframes by position only; the warnings table is the one with 說明.
    tables = [d.value for d in at.dataframe if "說明" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def test_data_quality_lists_and_filters_warnings(demo_db: Path) -> None:
    from dashboard import db

    con = db.connect(demo_db)
    try:
        stored = con.execute("select count(*) from data_warnings").fetchone()
        orphans = con.execute(
            "select count(*) from data_warnings where category = 'orphan_student'"
        ).fetchone()
    finally:
        con.close()
    at = page_test("pages.data_quality", role="註冊組").run()
    assert not at.exception
    assert "資料品質" in [t.value for t in at.title]
    assert stored is not None and orphans is not None
    assert len(_warnings_table(at)) == stored[0] > 0  # type: ignore[arg-type]
    at.multiselect(key="quality_category").select("學號不在該學期學生名冊").run()
    assert not at.exception
    assert len(_warnings_table(at)) == orphans[0]  # type: ignore[arg-type]


def test_data_quality_is_closed_to_the_principal() -> None:
    at = page_test("pages.data_quality", role="校長").run()
    assert not at.exception
    assert any("沒有使用此頁面的權限" in e.value for e in at.error)


def test_semester_in_the_url_opens_that_semester_and_follows_the_choice() -> None:
    at = page_test("pages.overview", query={"semester": "113-2"}).run()
    assert not at.exception
    assert at.selectbox(key="overview_semester").value == (113, 2)
    assert "113學年度第2學期" in texts(at)
    at.selectbox(key="overview_semester").select((114, 1)).run()
    assert at.query_params["semester"] == "114-1"


def test_unknown_semester_in_the_url_falls_back_to_the_newest() -> None:
    at = page_test("pages.overview", query={"semester": "99-9"}).run()
    assert not at.exception
    assert at.selectbox(key="overview_semester").value == (115, 1)


def _expected_light(demo_db: Path, year: int, semester: int, division: str | None, metric: str) -> str:
    from dashboard import db
    from dashboard.measures import metrics, targets

    con = db.connect(demo_db)
    try:
        value = metrics.semester_metrics(con, year, semester, division)["outcomes"][metric]
        return targets.light(value, targets.target_for(con, metric, year, division))
    finally:
        con.close()


def test_cards_carry_the_traffic_light_against_the_target(demo_db: Path) -> None:
    from pages.overview import LIGHT_MARK, LIGHT_WORD

    at = page_test("pages.overview", query={"semester": "114-2"}).run()
    assert not at.exception
    light = _expected_light(demo_db, 114, 2, None, "on_time_rate")
    marks = [m.value for m in at.markdown if "目標" in m.value]
    assert len(marks) == 12  # four rates with a target × three divisions
    assert f"{LIGHT_MARK[light]} {LIGHT_WORD[light]}（目標 95.0%）" in marks


def test_compact_view_from_the_link_is_one_narrow_table(demo_db: Path) -> None:
    from dashboard import db
    from dashboard.measures import metrics
    from pages.overview import LIGHT_MARK

    at = page_test("pages.overview", query={"semester": "115-1", "view": "compact"}).run()
    assert not at.exception
    assert at.toggle(key="overview_compact").value is True
    assert len(at.metric) == 0
    table = next(m.value for m in at.markdown if m.value.startswith("| 指標 |"))
    con = db.connect(demo_db)
    try:
        night = metrics.semester_metrics(con, 115, 1, "進修部")
    finally:
        con.close()
    rows = {line.split("|")[1].strip(): line for line in table.splitlines()[2:]}
    assert len(rows) == 6
    assert rows["在籍"].rstrip(" |").endswith(f"{night['students_active']:,}")
    light = _expected_light(demo_db, 115, 1, "進修部", "upload_rate")
    assert (
        rows["上傳率"]
        .rstrip(" |")
        .endswith(f"{LIGHT_MARK[light]} {night['outcomes']['upload_rate'] * 100:.1f}%")
    )
    at.toggle(key="overview_compact").set_value(False).run()
    assert "view" not in at.query_params
    assert len(at.metric) == 18 + 4  # the cards and the meetings panel are back


def test_overview_meetings_panel_equals_the_compliance_core(demo_db: Path) -> None:
    from datetime import date

    from dashboard import db
    from dashboard.records import resolutions

    con = db.connect(demo_db)
    try:
        expected = resolutions.compliance(con, 114, 2, date.today())
    finally:
        con.close()
    at = page_test("pages.overview", query={"semester": "114-2"}).run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric[18:]}
    assert shown["已開會議"] == f"{expected.meeting_count} 次"
    assert shown["已議決工作事項"] == f"{len(expected.topics_decided)} / 6 項"
    assert shown["未完成決議"] == f"{expected.open_count} 項"
    assert shown["逾期未完成"] == f"{expected.overdue_count} 項"
    assert all(label in texts(at) for label in expected.sessions)
    compact = page_test("pages.overview", query={"semester": "114-2", "view": "compact"}).run()
    assert f"已開 {expected.meeting_count} 次" in texts(compact)


def _cli_metrics(demo_db: Path, *args: str) -> dict[str, Any]:
    import json

    from tests.cli_helpers import run_cli

    out = run_cli("metrics", *args, "--db", str(demo_db))
    assert out.returncode == 0, out.stderr
    result: dict[str, Any] = json.loads(out.stdout)
    return result


@pytest.mark.parametrize("semester", ["113-2", "114-2"])
def test_the_cli_and_the_overview_agree_in_a_graduation_semester(demo_db: Path, semester: str) -> None:
    """The regenerated demo's post-graduation semesters: every card on 總覽 shows what
    `python -m dashboard metrics` prints, for the whole school and each division."""
    from ui.common import count, percent

    year = semester.split("-")[0]
    expected = []
    for division in (None, "日間部", "進修部"):
        extra = ("--division", division) if division else ()
        sem = _cli_metrics(demo_db, "--semester", semester, *extra)
        yr = _cli_metrics(demo_db, "--year", year, *extra)
        out = sem["outcomes"]
        expected += [
            count(sem["students_active"]),
            percent(out["upload_rate"]),
            percent(out["certification_rate"]),
            percent(out["on_time_rate"]),
            count(out["pending"]),
            percent(yr["selection"]["selection_rate"]),
        ]
    at = page_test("pages.overview", query={"semester": semester}).run()
    assert not at.exception
    assert [m.value for m in at.metric[:18]] == expected
