"""提交 through AppTest on the demo school: every year and division, the figures of
metrics.year_metrics, and the rosters still owed listed first."""

from __future__ import annotations

from pathlib import Path

from tests.app.conftest import every_semester_and_division, page_test, table_with, year_page

PAGE = "pages.submissions"


@every_semester_and_division
def test_every_year_and_division_equals_year_metrics(demo_db: Path, semester: str, division: str) -> None:
    at, expected = year_page(PAGE, demo_db, semester, division, "submissions")
    attempts = table_with(at, "提交人代碼")
    assert len(attempts) == len(expected)
    assert list(attempts["名冊別"]) == [s["名冊別"] for s in expected]
    assert list(attempts["結果"]) == [s["結果"] for s in expected]
    on_time = {True: "準時", False: "逾期", None: "—"}
    assert list(attempts["準時"]) == [on_time[s["on_time"]] for s in expected]
    rosters = table_with(at, "負責單位")
    assert len(rosters) == 10 * (2 if division == "全校" else 1)
    late_rosters = {
        (s["部別"], s["名冊別"], s["學期"]) for s in expected if s["結果"] == "成功" and s["on_time"] is False
    }
    assert (rosters["狀態"] == "逾期提交").sum() == len(late_rosters)
    statuses = list(rosters["狀態"])
    owed = [s for s in statuses if s in ("未提交", "失敗待重送")]
    assert statuses[: len(owed)] == owed  # still owed first


def test_current_year_shows_what_is_still_owed() -> None:
    at = page_test(PAGE, role="校長", query={"semester": "115-1", "division": "日間部"}).run()
    assert not at.exception, at.exception
    rosters = table_with(at, "負責單位")
    first = rosters.iloc[0]
    assert first["狀態"] == "未提交"
    assert first["期限"].startswith("尚餘")
    assert "教務處註冊組" in set(rosters["負責單位"]) and "學務處訓育組" in set(rosters["負責單位"])
    assert at.selectbox(key="submissions_division").value == "日間部"
