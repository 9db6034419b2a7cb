"""The headline rates semester over semester, with the change, the target and the light.

The trends page and its tests build the same series here from the figures of metrics.py (the
page hands in its cached readers, a test the uncached ones), so a trend point is always the
number the command line prints for that semester. 勾選率 is a per-year figure: it appears on
each year's second semester (the 勾選 happens after it) and is compared with the previous
year's. This module must not import streamlit or format for display.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from dashboard.measures import metrics, targets

SemesterFigures = Callable[[int, int], dict[str, Any]]
YearFigures = Callable[[int], dict[str, Any]]

TREND_METRICS: tuple[str, ...] = tuple(targets.METRICS)
PER_YEAR: frozenset[str] = frozenset({"selection_rate"})


@dataclass(frozen=True)
class TrendPoint:
    metric: str
    year: int
    semester: int
    value: float | None
    change_points: float | None  # against the metric's previous point, in percentage points
    target: float | None
    light: targets.Light


def figure(metric: str, semester_figures: dict[str, Any] | None, year_figures: dict[str, Any] | None) -> Any:
    """The rate `metric` out of a semester_metrics / year_metrics dict."""
    if metric == "selection_rate":
        return None if year_figures is None else year_figures["selection"]["selection_rate"]
    if semester_figures is None:
        return None
    if metric == "counselling_rate":
        return semester_figures["counselling"]["rate"]
    return semester_figures["outcomes"][metric]


def trend_points(
    semesters: Sequence[tuple[int, int]],
    semester_figures: SemesterFigures,
    year_figures: YearFigures,
    target_rows: list[targets.Target],
    division: str | None = None,
) -> list[TrendPoint]:
    """Every metric's points over `semesters` (oldest first), metric by metric. Each semester's
    and year's figures are read once."""
    ordered = sorted(semesters)
    by_semester = {(y, s): semester_figures(y, s) for y, s in ordered}
    by_year = {y: year_figures(y) for y, s in ordered if s == 2}
    points: list[TrendPoint] = []
    for metric in TREND_METRICS:
        previous: float | None = None
        for year, semester in ordered:
            if metric in PER_YEAR:
                if semester != 2:
                    continue
                value = figure(metric, None, by_year[year])
            else:
                value = figure(metric, by_semester[(year, semester)], None)
            found = targets.in_force(target_rows, metric, year, division)
            target = None if found is None else found.target
            points.append(
                TrendPoint(
                    metric=metric,
                    year=year,
                    semester=semester,
                    value=value,
                    change_points=targets.change_points(value, previous),
                    target=target,
                    light=targets.light(value, target),
                )
            )
            previous = value
    return points


def series(con: duckdb.DuckDBPyConnection, division: str | None = None) -> list[TrendPoint]:
    """The trend of every semester in the database, straight from metrics.py (no cache)."""
    return trend_points(
        metrics.semesters_available(con),
        lambda y, s: metrics.semester_metrics(con, y, s, division),
        lambda y: metrics.year_metrics(con, y, division),
        targets.load(con),
        division,
    )
