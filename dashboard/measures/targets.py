"""The working group's targets for the headline rates, and the traffic light against them.

A target is data like a rule: a value and the 學年度 it takes effect from, for the whole school
(division None, which also applies to each division) or for one 部別 (which overrides the
whole-school target for that division). Setting one is checked here (Chinese messages per
field, the set_targets permission) and written in one transaction. The light: green at or above
the target, amber less than or exactly AMBER_POINTS (5 percentage points) below it, red further
below, grey when the figure or the target is missing. This module must not import streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import duckdb

from dashboard import audit, auth, db
from dashboard.measures import metrics
from dashboard.school_calendar import school_now, school_year_of

Connection = duckdb.DuckDBPyConnection
Light = Literal["green", "amber", "red", "grey"]

# The rates a target can be set for, with the names the pages show.
METRICS: dict[str, str] = {
    "upload_rate": "成果上傳率",
    "certification_rate": "認證完成率",
    "on_time_rate": "準時認證率",
    "selection_rate": "勾選率",
    "counselling_rate": "課程諮詢涵蓋率",
}
# Defaults the dashboard suggests (migration 003); the regulation sets no figure for these.
SUGGESTED: frozenset[str] = frozenset({"certification_rate", "selection_rate", "counselling_rate"})
DEFAULT_SET_BY = "系統預設"  # set_by of the rows migration 003 seeds
FIRST_YEAR = 108  # the first 學年度 of the learning-portfolio system
AMBER_POINTS = Decimal("0.05")
# With no data in the database to anchor "next year", a year past this is a typo (ROC 199 = 2110).
LAST_YEAR_WITHOUT_DATA = 199


@dataclass(frozen=True)
class Target:
    metric: str
    division: str | None  # None = 全校 (and each division without its own row)
    target: float
    effective_from_year: int
    set_by: str
    set_at: datetime


class TargetError(ValueError):
    """A refused target: `problems` maps a form field (metric, value, year, division, user)
    to what is wrong, in Traditional Chinese."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


# --- reading ----------------------------------------------------------------------------


def load(con: Connection) -> list[Target]:
    """Every stored target row."""
    return [
        Target(
            metric=row["metric"],
            division=row["division"],
            target=float(row["target"]),
            effective_from_year=int(row["effective_from_year"]),
            set_by=row["set_by"],
            set_at=row["set_at"],
        )
        for row in db.query_rows(con, "targets_list")
    ]


def in_force(rows: list[Target], metric: str, year: int, division: str | None = None) -> Target | None:
    """The target of `metric` in force in 學年度 `year` for `division` (None = 全校).

    For a division: its own latest row effective on or before `year`, else the whole-school
    one. A division's own row stays in force until that division gets a newer row, even when a
    later whole-school target is set (the same way a 部別 row of the 作業期程 overrides the
    general row).
    """
    division = metrics.normalize_division(division)

    def latest(div: str | None) -> Target | None:
        found = [
            r for r in rows if r.metric == metric and r.division == div and r.effective_from_year <= year
        ]
        return max(found, key=lambda r: r.effective_from_year) if found else None

    own = latest(division) if division is not None else None
    return own or latest(None)


def target_for(con: Connection, metric: str, year: int, division: str | None = None) -> float | None:
    found = in_force(load(con), metric, year, division)
    return None if found is None else found.target


def light(value: float | None, target: float | None) -> Light:
    """green ≥ target; amber up to 5 percentage points below; red further below; grey when
    either is missing. Compared as decimals, so 0.85 against 0.90 is amber, not a float's red."""
    if value is None or target is None:
        return "grey"
    gap = Decimal(str(value)) - Decimal(str(target))
    if gap >= 0:
        return "green"
    return "amber" if gap >= -AMBER_POINTS else "red"


def change_points(current: float | None, previous: float | None) -> float | None:
    """current − previous in percentage points, to one decimal (0.8731 − 0.8612 → 1.2)."""
    if current is None or previous is None:
        return None
    points = (Decimal(str(current)) - Decimal(str(previous))) * 100
    # Half away from zero like the rates; + 0.0 turns -0.0 into 0.0.
    return float(points.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + 0.0


# --- writing ----------------------------------------------------------------------------


def year_range(con: Connection) -> tuple[int, int]:
    """The 學年度 a target may take effect from: 108 to the year after the newest year in the
    database (its semesters or its 資料截至)."""
    years = [y for y, _ in metrics.semesters_available(con)]
    as_of = db.as_of(con)
    if as_of is not None:
        years.append(school_year_of(as_of))
    last = max(years) + 1 if years else LAST_YEAR_WITHOUT_DATA
    return FIRST_YEAR, max(last, FIRST_YEAR)


def validate(
    con: Connection, metric: str, value: Any, effective_from_year: Any, division: str | None
) -> dict[str, str]:
    """Every problem with a target as {field: message}; empty when it may be saved."""
    problems: dict[str, str] = {}
    if metric not in METRICS:
        names = "、".join(METRICS.values())
        problems["metric"] = f"指標「{metric}」不存在；可設定目標值的指標：{names}。"
    if value is None or value == "":
        problems["value"] = "請輸入目標值（百分比，例如 95）。"
    elif isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        problems["value"] = f"目標值「{value}」不是數字；請輸入百分比，例如 95。"
    elif not 0 < value <= 1:
        problems["value"] = f"目標值必須大於 0% 且不超過 100%；您輸入的是 {value * 100:g}%。"
    first, last = year_range(con)
    if (
        isinstance(effective_from_year, bool)
        or not isinstance(effective_from_year, int)
        or not first <= effective_from_year <= last
    ):
        problems["year"] = (
            f"生效學年度必須是 {first} 到 {last} 之間的民國學年度（例如 {last - 1}）；"
            f"您輸入的是「{effective_from_year}」。"
        )
    try:
        metrics.normalize_division(division)
    except ValueError as exc:
        problems["division"] = str(exc)
    return problems


def set_target(
    con: Connection,
    metric: str,
    value: Any,
    effective_from_year: Any,
    division: str | None,
    user: auth.User,
) -> Target:
    """Check and store one target (replacing the row of the same metric, 部別 and year).

    `value` is a fraction (0.95), rounded to 4 decimals like the rates. Raises TargetError
    without writing anything when the user may not set targets or any field is wrong.
    """
    if not user.can("set_targets"):
        raise TargetError({"user": f"您的角色（{user.role}）沒有設定目標值的權限；請洽執行秘書或管理者。"})
    if isinstance(value, int | float) and not isinstance(value, bool) and not math.isnan(value):
        value = round(float(value), 4)
    problems = validate(con, metric, value, effective_from_year, division)
    if problems:
        raise TargetError(problems)
    row = Target(
        metric=metric,
        division=metrics.normalize_division(division),
        target=float(value),
        effective_from_year=int(effective_from_year),
        set_by=user.display_name,
        set_at=school_now(),  # when it was set (an audit stamp, not the dashboard's "now")
    )
    _write(con, row, user.username)
    return row


def _write(con: Connection, row: Target, username: str) -> None:
    """Replace the row of (metric, division, year) in one transaction: both or neither."""
    key = {"metric": row.metric, "division": row.division, "year": row.effective_from_year}
    with db.transaction(con) as cur:
        cur.execute(
            "delete from targets where metric = $metric"
            " and coalesce(division, '') = coalesce($division, '') and effective_from_year = $year",
            key,
        )
        cur.execute(
            "insert into targets (metric, division, target, effective_from_year, set_by, set_at)"
            " values ($metric, $division, $target, $year, $set_by, $set_at)",
            {**key, "target": row.target, "set_by": row.set_by, "set_at": row.set_at},
        )
        audit.record(
            cur,
            audit.FORM_SAVED,
            username,
            detail=f"目標值：{METRICS.get(row.metric, row.metric)}（{metrics.division_label(row.division)}）"
            f"{row.effective_from_year} 學年度起 {row.target:g}",
        )
