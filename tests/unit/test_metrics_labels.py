"""Semester and division input, labels, and the rounding every rate goes through."""

from __future__ import annotations

import pytest

from dashboard.measures import metrics


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("113-1", (113, 1)),
        ("1131", (113, 1)),
        ("1132", (113, 2)),
        ("113學年度第1學期", (113, 1)),
        ("113學年度第二學期", (113, 2)),
        (" １１３-２ ", (113, 2)),  # full-width digits, spaces
        ("99-1", (99, 1)),
        ("991", (99, 1)),
    ],
)
def test_parse_semester(text: str, expected: tuple[int, int]) -> None:
    assert metrics.parse_semester(text) == expected


@pytest.mark.parametrize(
    "text", ["", "113", "113-3", "1133", "113-0", "11311", "abc", "113學年度", "2024-1", "0-1"]
)
def test_parse_semester_refuses_bad_input_in_chinese(text: str) -> None:
    with pytest.raises(ValueError, match="學期"):
        metrics.parse_semester(text)


def test_labels() -> None:
    assert metrics.semester_label(113, 1) == "113學年度第1學期"
    assert metrics.semester_code(113, 2) == "113-2"
    assert metrics.parse_semester(metrics.semester_label(114, 2)) == (114, 2)
    with pytest.raises(ValueError, match="學期"):
        metrics.semester_label(113, 3)
    with pytest.raises(ValueError, match="學年度"):
        metrics.semester_label(0, 1)


def test_divisions() -> None:
    assert metrics.normalize_division(None) is None
    assert metrics.normalize_division("全校") is None
    assert metrics.normalize_division(" 進修部 ") == "進修部"
    with pytest.raises(ValueError, match="部別"):
        metrics.normalize_division("夜間部")
    assert metrics.division_label(None) == "全校"


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (3, 4, 0.75),
        (1, 3, 0.3333),
        (2, 3, 0.6667),
        (1, 8, 0.125),
        (1, 20000, 0.0001),  # 0.00005: half away from zero
        (1, 40000, 0.0),  # 0.000025
        (0, 5, 0.0),
        (5, 0, None),  # zero denominator
        (None, 5, None),  # unknown numerator
    ],
)
def test_rate(numerator: int | None, denominator: int, expected: float | None) -> None:
    assert metrics.rate(numerator, denominator) == expected
