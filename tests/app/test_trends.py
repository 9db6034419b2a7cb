"""趨勢 through AppTest on the demo school: the table is metrics.py's figures for every semester;
the target form saves for 執行秘書, is absent for 校長, and refuses bad input keeping it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db
from dashboard.measures import metrics
from tests.app.conftest import page_test, texts

LABELS = {
    "upload_rate": "成果上傳率",
    "certification_rate": "認證完成率",
    "on_time_rate": "準時認證率",
    "selection_rate": "勾選率",
    "counselling_rate": "課程諮詢涵蓋率",
}


def expected_figures(demo_db: Path, division: str | None) -> dict[tuple[int, int], dict[str, Any]]:
    """Every metric for every semester, straight from metrics.py (勾選率 on semester 2 only)."""
    con = db.connect(demo_db)
    try:
        out: dict[tuple[int, int], dict[str, Any]] = {}
        for year, semester in metrics.semesters_available(con):
            sem = metrics.semester_metrics(con, year, semester, division)
            row = {m: sem["outcomes"][m] for m in ("upload_rate", "certification_rate", "on_time_rate")}
            row["counselling_rate"] = sem["counselling"]["rate"]
            if semester == 2:
                row["selection_rate"] = metrics.year_metrics(con, year, division)["selection"][
                    "selection_rate"
                ]
            out[(year, semester)] = row
        return out
    finally:
        con.close()


def shown_percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def shown_change(current: float | None, previous: float | None) -> str:
    """The change in percentage points to one decimal, half away from zero, with a true minus."""
    if current is None or previous is None:
        return "—"
    points = ((Decimal(str(current)) - Decimal(str(previous))) * 100).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    if points == 0:
        return "0.0 個百分點"
    return f"+{points} 個百分點" if points > 0 else f"−{-points} 個百分點"


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def light_of(at: AppTest, semester: str, label: str) -> str:
    detail = frame_with(at, "燈號")
    row = detail[(detail["學期"] == semester) & (detail["指標"] == label)]
    assert len(row) == 1
    return str(row["燈號"].iloc[0])


@pytest.mark.parametrize("division", ["全校", "日間部", "進修部"])
def test_trend_table_equals_the_metrics_core_for_every_semester(demo_db: Path, division: str) -> None:
    expected = expected_figures(demo_db, None if division == "全校" else division)
    at = page_test("pages.trends", role="校長", query={"division": division}).run()
    assert not at.exception
    assert "趨勢" in [t.value for t in at.title]
    body = texts(at)
    assert f"113學年度第1學期至115學年度第1學期（全部學期） · {division} · 資料截至 115/11/16 08:00" in body
    assert "低於目標值 5 個百分點以內" in body
    assert "並非法規規定" in body
    wide = frame_with(at, "成果上傳率較前期")
    assert list(wide["學期"]) == [metrics.semester_code(y, s) for y, s in sorted(expected)]
    previous: dict[str, float | None] = {}
    for (year, semester), figures in sorted(expected.items()):
        row = wide[wide["學期"] == metrics.semester_code(year, semester)].iloc[0]
        for metric, label in LABELS.items():
            if metric not in figures:
                assert row[label] == ""  # 勾選率 only on semester 2
                continue
            assert row[label] == shown_percent(figures[metric]), (year, semester, metric)
            if metric in previous:
                assert row[f"{label}較前期"] == shown_change(figures[metric], previous[metric])
            else:
                assert row[f"{label}較前期"] == "—"
            previous[metric] = figures[metric]
    assert len(at.get("plotly_chart")) == len(LABELS)
    # Every table has its export.
    assert len(at.get("download_button")) == len(at.dataframe)
    # 校長 sees the targets but no form.
    assert "目標值由執行秘書或管理者設定" in body
    with pytest.raises(KeyError):
        at.number_input(key="targets_value")


def test_a_target_edit_by_the_secretary_changes_the_light(demo_db: Path) -> None:
    figures = expected_figures(demo_db, "日間部")
    value = figures[(113, 1)]["upload_rate"]
    assert value is not None
    # A target that moves the light: above the figure when it is green, at the figure otherwise.
    was_green = value >= 0.85
    new_percent = min(100.0, round(value * 100 + 10, 1)) if was_green else round(value * 100, 1)
    at = page_test("pages.trends", role="執行秘書", query={"division": "日間部"}).run()
    assert not at.exception
    before = light_of(at, "113-1", "成果上傳率")
    assert before == ("綠燈" if was_green else ("黃燈" if value >= 0.80 else "紅燈"))
    at.selectbox(key="targets_metric").select("upload_rate")
    at.selectbox(key="targets_division").select("日間部")
    at.number_input(key="targets_year").set_value(113)
    at.number_input(key="targets_value").set_value(new_percent)
    at.button(key="targets_submit").click().run()
    assert not at.exception
    assert any("已儲存" in s.value for s in at.success)
    after = light_of(at, "113-1", "成果上傳率")
    gap = value - new_percent / 100
    assert after == ("綠燈" if gap >= -1e-9 else ("黃燈" if gap >= -0.05 - 1e-9 else "紅燈"))
    assert after != before
    detail = frame_with(at, "燈號")
    row = detail[(detail["學期"] == "113-1") & (detail["指標"] == "成果上傳率")]
    assert row["目標值"].iloc[0] == f"{new_percent:.1f}%"
    # 112 is untouched and 全校 keeps its own target.
    con = db.connect(demo_db)
    try:
        stored = con.execute(
            "select target, set_by from targets where metric = 'upload_rate' and division = '日間部'"
            " and effective_from_year = 113"
        ).fetchall()
    finally:
        con.close()
    assert stored == [(round(new_percent / 100, 4), "測試者")]


@pytest.mark.parametrize(
    ("field", "entered", "message"),
    [
        ("targets_value", 150.0, "不超過 100%"),
        ("targets_value", 0.0, "大於 0%"),
        ("targets_year", 2026, "民國學年度"),
    ],
)
def test_invalid_input_shows_the_message_and_keeps_the_input(
    demo_db: Path, field: str, entered: float, message: str
) -> None:
    at = page_test("pages.trends", role="執行秘書").run()
    assert not at.exception
    before = frame_with(at, "燈號")
    if field != "targets_value":
        at.number_input(key="targets_value").set_value(90.0)
    at.number_input(key=field).set_value(entered)
    at.button(key="targets_submit").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(message in e for e in errors), errors
    assert any("目標值沒有儲存" in e for e in errors)
    assert not at.success
    assert at.number_input(key=field).value == entered
    pd.testing.assert_frame_equal(frame_with(at, "燈號"), before)
    con = db.connect(demo_db)
    try:
        rows = con.execute("select count(*) from targets where set_by <> '系統預設'").fetchone()
    finally:
        con.close()
    assert rows == (0,)


def test_the_principal_cannot_reach_the_form_but_sees_the_targets() -> None:
    at = page_test("pages.trends", role="校長", query={"division": "進修部"}).run()
    assert not at.exception
    with pytest.raises(KeyError):
        at.button(key="targets_submit")
    in_force = frame_with(at, "說明")
    assert list(in_force["指標"]) == list(LABELS.values())
    assert list(in_force["目標值"]) == ["85.0%", "95.0%", "95.0%", "90.0%", "80.0%"]
    assert at.selectbox(key="trends_division").value == "進修部"
