"""Targets: the seeded defaults, the target in force by year and 部別, refused saves, the light."""

from __future__ import annotations

import math
from datetime import date

import duckdb
import pytest

from dashboard import auth
from dashboard.measures import metrics, targets, trends
from tests import school_fixture

SECRETARY = auth.User("secretary", "教務主任", "執行秘書")
ADMIN = auth.User("demo", "管理者", "管理者")


def stored(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute("select * from targets order by all").fetchall()


def test_defaults_from_108_for_every_metric_and_division(con: duckdb.DuckDBPyConnection) -> None:
    expected = {
        "upload_rate": 0.85,
        "certification_rate": 0.95,
        "on_time_rate": 0.95,
        "selection_rate": 0.90,
        "counselling_rate": 0.80,
    }
    assert set(targets.METRICS) == set(expected)
    for metric, value in expected.items():
        for division in (None, "日間部", "進修部"):
            assert targets.target_for(con, metric, 108, division) == value
            assert targets.target_for(con, metric, 115, division) == value
        assert targets.target_for(con, metric, 107) is None
    assert {"certification_rate", "selection_rate", "counselling_rate"} == targets.SUGGESTED


def test_a_later_target_applies_from_its_year_on(con: duckdb.DuckDBPyConnection) -> None:
    targets.set_target(con, "upload_rate", 0.9, 114, None, SECRETARY)
    assert targets.target_for(con, "upload_rate", 113) == 0.85
    assert targets.target_for(con, "upload_rate", 114) == 0.9
    assert targets.target_for(con, "upload_rate", 115, "日間部") == 0.9
    assert targets.target_for(con, "on_time_rate", 114) == 0.95  # other metrics untouched


def test_a_division_target_overrides_the_whole_school_one(con: duckdb.DuckDBPyConnection) -> None:
    targets.set_target(con, "counselling_rate", 0.6, 113, "進修部", SECRETARY)
    assert targets.target_for(con, "counselling_rate", 113, "進修部") == 0.6
    assert targets.target_for(con, "counselling_rate", 112, "進修部") == 0.8
    assert targets.target_for(con, "counselling_rate", 113, "日間部") == 0.8
    assert targets.target_for(con, "counselling_rate", 113, None) == 0.8
    assert targets.target_for(con, "counselling_rate", 113, "全校") == 0.8
    # A later whole-school target does not overrule the division's own one.
    targets.set_target(con, "counselling_rate", 0.85, 115, "全校", ADMIN)
    assert targets.target_for(con, "counselling_rate", 115, "進修部") == 0.6
    assert targets.target_for(con, "counselling_rate", 115, "日間部") == 0.85


def test_saving_the_same_key_again_replaces_the_row(con: duckdb.DuckDBPyConnection) -> None:
    targets.set_target(con, "on_time_rate", 0.9, 114, "日間部", SECRETARY)
    saved = targets.set_target(con, "on_time_rate", 0.925, 114, "日間部", ADMIN)
    rows = con.execute(
        "select target, set_by from targets where metric = 'on_time_rate' and division = '日間部'"
    ).fetchall()
    assert rows == [(0.925, "管理者")]
    assert saved.set_by == "管理者" and saved.division == "日間部"
    # Also for the whole-school row, whose 部別 is NULL.
    targets.set_target(con, "on_time_rate", 0.97, 108, None, ADMIN)
    whole = con.execute(
        "select target from targets where metric = 'on_time_rate' and division is null"
    ).fetchall()
    assert whole == [(0.97,)]


@pytest.mark.parametrize(
    ("metric", "value", "year", "division", "field", "words"),
    [
        ("upload_rate", 0, 114, None, "value", "大於 0%"),
        ("upload_rate", 1.5, 114, None, "value", "不超過 100%"),
        ("upload_rate", -0.2, 114, None, "value", "大於 0%"),
        ("upload_rate", None, 114, None, "value", "請輸入目標值"),
        ("upload_rate", math.nan, 114, None, "value", "不是數字"),
        ("upload_rate", "0.9", 114, None, "value", "不是數字"),
        ("pass_rate", 0.9, 114, None, "metric", "指標「pass_rate」不存在"),
        ("upload_rate", 0.9, 107, None, "year", "108 到"),
        ("upload_rate", 0.9, 2026, None, "year", "您輸入的是「2026」"),
        ("upload_rate", 0.9, 114, "夜校", "division", "部別「夜校」不正確"),
    ],
)
def test_refused_input_changes_nothing(
    con: duckdb.DuckDBPyConnection,
    metric: str,
    value: object,
    year: int,
    division: str | None,
    field: str,
    words: str,
) -> None:
    before = stored(con)
    with pytest.raises(targets.TargetError) as refused:
        targets.set_target(con, metric, value, year, division, SECRETARY)
    assert list(refused.value.problems) == [field]
    assert words in refused.value.problems[field]
    assert stored(con) == before


def test_every_problem_is_reported_at_once(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(targets.TargetError) as refused:
        targets.set_target(con, "nope", 1.5, 99, "夜校", SECRETARY)
    assert set(refused.value.problems) == {"metric", "value", "year", "division"}


@pytest.mark.parametrize("role", ["校長", "註冊組", "工作小組委員"])
def test_only_the_secretary_and_the_administrator_may_set_targets(
    con: duckdb.DuckDBPyConnection, role: str
) -> None:
    before = stored(con)
    with pytest.raises(targets.TargetError) as refused:
        targets.set_target(con, "upload_rate", 0.9, 114, None, auth.User("u", "某人", role))
    assert "沒有設定目標值的權限" in refused.value.problems["user"]
    assert stored(con) == before
    assert not auth.can(role, "set_targets")


def test_the_year_range_follows_the_data(con: duckdb.DuckDBPyConnection) -> None:
    assert targets.year_range(con) == (108, targets.LAST_YEAR_WITHOUT_DATA)
    school_fixture.student(con, "S01", 115, 1)
    assert targets.year_range(con) == (108, 116)
    targets.set_target(con, "upload_rate", 0.9, 116, None, SECRETARY)
    with pytest.raises(targets.TargetError):
        targets.set_target(con, "upload_rate", 0.9, 117, None, SECRETARY)


def test_a_value_is_kept_to_four_decimals(con: duckdb.DuckDBPyConnection) -> None:
    saved = targets.set_target(con, "upload_rate", 80.9 / 100, 113, None, SECRETARY)
    assert saved.target == 0.809
    assert targets.target_for(con, "upload_rate", 113) == 0.809


def test_a_failed_write_leaves_the_old_target(con: duckdb.DuckDBPyConnection) -> None:
    """set_target's write deletes the old row and inserts the new one in one transaction: when
    the insert fails (here the table's own check refuses 1.5), the delete is undone too."""
    before = stored(con)
    old = targets.in_force(targets.load(con), "upload_rate", 108)
    assert old is not None
    bad = targets.Target("upload_rate", None, 1.5, 108, "測試", old.set_at)
    with pytest.raises(duckdb.ConstraintException):
        targets._write(con, bad, "測試")
    assert stored(con) == before
    assert targets.target_for(con, "upload_rate", 108) == 0.85


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        (0.95, 0.95, "green"),
        (1.0, 0.95, "green"),
        (0.9499, 0.95, "amber"),
        (0.90, 0.95, "amber"),  # exactly 5 points below
        (0.85, 0.90, "amber"),  # 0.90 - 0.05 is 0.8500000000000001 in floats
        (0.8999, 0.95, "red"),
        (0.0, 0.8, "red"),
        (None, 0.95, "grey"),
        (0.9, None, "grey"),
    ],
)
def test_traffic_light(value: float | None, target: float | None, expected: str) -> None:
    assert targets.light(value, target) == expected


def test_change_in_percentage_points() -> None:
    assert targets.change_points(0.8731, 0.8612) == 1.2
    assert targets.change_points(0.8612, 0.8731) == -1.2
    assert targets.change_points(0.8125, 0.8) == 1.3  # 1.25 rounds half away from zero
    assert targets.change_points(0.8, 0.8125) == -1.3
    assert targets.change_points(0.5, 0.5) == 0.0
    assert math.copysign(1, targets.change_points(0.5, 0.5) or 0.0) == 1  # never −0.0
    assert targets.change_points(None, 0.5) is None
    assert targets.change_points(0.5, None) is None


def test_trend_points_on_a_hand_counted_school(con: duckdb.DuckDBPyConnection) -> None:
    """113-1: S01 and S02 active, S01 uploads (50%). 113-2: both upload (100%), S01 selects.
    勾選率 appears on 113-2 only; 進修部 has its own upload target from 113."""
    for sem in (1, 2):
        school_fixture.student(con, "S01", 113, sem)
        school_fixture.student(con, "S02", 113, sem, division="進修部")
    school_fixture.outcome(con, "S01")
    school_fixture.outcome(con, "S01", semester=2, selected=True)
    school_fixture.outcome(con, "S02", semester=2)
    school_fixture.counselling(con, "S02", date(2024, 10, 1))
    targets.set_target(con, "upload_rate", 0.6, 113, "進修部", SECRETARY)
    points = {(p.metric, p.year, p.semester): p for p in trends.series(con)}
    assert points[("upload_rate", 113, 1)].value == 0.5
    assert points[("upload_rate", 113, 1)].light == "red"
    assert points[("upload_rate", 113, 2)].value == 1.0
    assert points[("upload_rate", 113, 2)].change_points == 50.0
    assert points[("upload_rate", 113, 2)].light == "green"
    assert points[("certification_rate", 113, 1)].value is None  # nothing submitted
    assert points[("certification_rate", 113, 1)].light == "grey"
    assert ("selection_rate", 113, 1) not in points
    assert points[("selection_rate", 113, 2)].value == 0.5
    assert points[("counselling_rate", 113, 1)].value == 0.5
    continuing = {(p.metric, p.year, p.semester): p for p in trends.series(con, "進修部")}
    assert continuing[("upload_rate", 113, 1)].value == 0.0
    assert continuing[("upload_rate", 113, 1)].target == 0.6
    assert continuing[("upload_rate", 113, 2)].light == "green"
    assert (
        continuing[("counselling_rate", 113, 1)].value
        == metrics.semester_metrics(con, 113, 1, "進修部")["counselling"]["rate"]
    )
