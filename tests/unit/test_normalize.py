"""One cell in, one canonical value out: trimming, full-width, every alias and every date form."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from dashboard.ingest import normalize as n
from dashboard.ingest.kinds import kind


def test_clean_trims_and_turns_full_width_ascii_and_ideographic_space_to_half_width() -> None:
    assert n.clean("\u3000１１３　") == "113"
    assert n.clean("  Ａ１２３４５６７８９ ") == "A123456789"
    assert n.clean("１１３／１１／２０") == "113/11/20"
    assert n.clean("") is None
    assert n.clean(" \u3000 ") is None
    assert n.clean(None) is None


def test_clean_does_not_nfkc_names() -> None:
    # U+FA11 﨑 and U+F9D8 are CJK compatibility ideographs that NFKC would replace.
    assert n.clean(" 山﨑太郎 ") == "山﨑太郎"
    assert n.clean("\uf9d8") == "\uf9d8"
    assert n.clean("林堃喆") == "林堃喆"


def test_header_name_strips_a_required_star() -> None:
    assert n.header_name(" 學號* ") == "學號"
    assert n.header_name("學年度＊") == "學年度"
    assert n.header_name("") == ""


def test_int() -> None:
    assert n.parse_int("36") == 36
    assert n.parse_int("-2") == -2
    for bad in ("3.5", "三", "1e3", "12a"):
        with pytest.raises(n.CellError, match="不是整數"):
            n.parse_int(bad)


def test_school_year_must_be_an_roc_year() -> None:
    assert n.parse_year("113") == 113
    with pytest.raises(n.CellError, match="民國學年度"):
        n.parse_year("2024")
    with pytest.raises(n.CellError):
        n.parse_year("0")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1),
        ("2", 2),
        ("上", 1),
        ("下", 2),
        ("第1學期", 1),
        ("第一學期", 1),
        ("第2學期", 2),
        ("第二學期", 2),
    ],
)
def test_semester_aliases(text: str, value: int) -> None:
    assert n.semester_parser((1, 2))(text) == value


def test_semester_zero_only_where_the_kind_allows_it() -> None:
    assert n.semester_parser(kind("receipts").semester_values)("0") == 0
    assert n.semester_parser(kind("submissions").semester_values)("0") == 0
    with pytest.raises(n.CellError, match="不是有效的學期"):
        n.semester_parser(kind("outcomes").semester_values)("0")
    with pytest.raises(n.CellError):
        n.semester_parser((1, 2))("3")


@pytest.mark.parametrize(
    ("enum", "text", "value"),
    [
        ("division", "日", "日間部"),
        ("division", "日校", "日間部"),
        ("division", "d", "日間部"),
        ("division", "夜間部", "進修部"),
        ("division", "N", "進修部"),
        ("gender", "1", "男"),
        ("gender", "2", "女"),
        ("cert_status", "草稿", "未送出"),
        ("cert_status", "待認證", "認證中"),
        ("cert_status", "y", "通過"),
        ("cert_status", "認證成功", "通過"),
        ("cert_status", "退回", "未通過"),
        ("cert_status", "0", "未通過"),
        ("fail_reason", "03", "03 請加強成果內容正確性"),
        ("fail_reason", "無法查證成果可信度", "02 無法查證成果可信度"),
        ("diverse_category", "證照", "檢定證照紀錄"),
        ("diverse_category", "其他", "其他多元表現紀錄"),
        ("diverse_category", "先修課程", "大學及技專校院先修課程紀錄"),
        ("cadre_level", "9", "其他"),
        ("notice_method", "平台", "平臺"),
        ("notice_method", "紙本", "紙本郵寄"),
    ],
)
def test_enum_aliases(enum: str, text: str, value: str) -> None:
    assert n.enum_parser(enum)(text) == value


def test_unknown_enum_value_lists_the_allowed_ones() -> None:
    with pytest.raises(n.CellError, match="可用：未送出、認證中、通過、未通過"):
        n.enum_parser("cert_status")("審核中")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Y", True),
        ("y", True),
        ("是", True),
        ("1", True),
        ("true", True),
        ("V", True),
        ("✓", True),
        ("N", False),
        ("否", False),
        ("0", False),
        ("FALSE", False),
    ],
)
def test_bool(text: str, value: bool) -> None:
    assert n.parse_bool(text) is value


def test_bool_rejects_other_text() -> None:
    with pytest.raises(n.CellError):
        n.parse_bool("也許")


@pytest.mark.parametrize(
    "text",
    [
        "2024-11-20",
        "2024/11/20",
        "113/11/20",
        "1131120",
        "113.11.20",
        "2024-11-20 00:00",
        "2024-11-20 00:00:00",
    ],
)
def test_every_date_form(text: str) -> None:
    assert n.parse_date(text) == date(2024, 11, 20)


def test_single_digit_month_and_day() -> None:
    assert n.parse_date("2024/1/5") == date(2024, 1, 5)
    assert n.parse_date("113/1/5") == date(2024, 1, 5)


@pytest.mark.parametrize(
    "text",
    [
        "113/02/30",
        "2024-02-30",
        "2024/13/01",
        "1130230",
        "2024-11",
        "20241120",
        "113年11月20日",
        "2024-11-20 10:00",
        "x",
    ],
)
def test_invalid_dates_are_errors(text: str) -> None:
    with pytest.raises(n.CellError, match="不是有效的日期"):
        n.parse_date(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2024-11-20 15:15", datetime(2024, 11, 20, 15, 15)),
        ("2024/11/20 15:15:07", datetime(2024, 11, 20, 15, 15, 7)),
        ("2024/1/5 8:05", datetime(2024, 1, 5, 8, 5)),
        ("113/11/20 15:15:07", datetime(2024, 11, 20, 15, 15, 7)),
        ("1131120 15:15", datetime(2024, 11, 20, 15, 15)),
        ("113.11.20 15:15", datetime(2024, 11, 20, 15, 15)),
        ("2024-11-20T15:15:07", datetime(2024, 11, 20, 15, 15, 7)),
        ("2024-11-20 15:15:07.250", datetime(2024, 11, 20, 15, 15, 7, 250000)),
        ("2024/11/20 下午 03:15:00", datetime(2024, 11, 20, 15, 15)),
        ("2024/11/20 上午 03:15:00", datetime(2024, 11, 20, 3, 15)),
        ("2024/11/20 上午 12:05:00", datetime(2024, 11, 20, 0, 5)),
        ("2024/11/20 下午 12:05:00", datetime(2024, 11, 20, 12, 5)),
        ("113/11/20 下午 3:15", datetime(2024, 11, 20, 15, 15)),
        ("2024/11/20下午03:15:00", datetime(2024, 11, 20, 15, 15)),
        ("2024/11/20 PM 03:15:00", datetime(2024, 11, 20, 15, 15)),
        ("2024-11-20", datetime(2024, 11, 20)),
    ],
)
def test_every_timestamp_form(text: str, value: datetime) -> None:
    assert n.parse_timestamp(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "2024/13/01 10:00",
        "2024-02-30 10:00:00",
        "2024-11-20 24:00",
        "2024-11-20 10:60",
        "2024/11/20 下午 13:00:00",
        "昨天",
        "10:00",
    ],
)
def test_invalid_timestamps_are_errors(text: str) -> None:
    with pytest.raises(n.CellError, match="不是有效的日期時間"):
        n.parse_timestamp(text)


def test_parse_timestamp_text_for_people_typing() -> None:
    assert n.parse_timestamp_text("２０２６-11-16 08:00") == datetime(2026, 11, 16, 8, 0)
    assert n.parse_timestamp_text("soon") is None
    assert n.parse_timestamp_text("  ") is None


def test_audience() -> None:
    assert n.parse_audience("學生、家長") == "學生、家長"
    assert n.parse_audience("教師,學生，教師") == "教師、學生"
    with pytest.raises(n.CellError, match="無法辨識的對象"):
        n.parse_audience("學生、校友")


def test_id_number() -> None:
    assert n.parse_id_number("a123456789") == "A123456789"
    assert n.parse_id_number("AC01234567") == "AC01234567"  # old resident certificate
    for bad in ("A12345678", "1234567890", "A1234567890"):
        with pytest.raises(n.CellError, match="身分證號"):
            n.parse_id_number(bad)


def test_parse_distinct_parses_each_distinct_value_once() -> None:
    calls: list[str] = []

    def parse(text: str) -> int:
        calls.append(text)
        return n.parse_int(text)

    parsed = n.parse_distinct(["１", " 1", "2", "", "x", "2", "1"], parse)
    assert parsed.values[:4] == [1, 1, 2, None]
    assert parsed.values[4] == n.Invalid("不是整數")
    assert parsed.values[5:] == [2, 1]
    assert sorted(calls) == ["1", "1", "1", "2", "x"]  # '１', ' 1', '1' are distinct cells
    assert parsed.has_invalid and parsed.has_empty
    clean = n.parse_distinct(["1", "2"], n.parse_int)
    assert not clean.has_invalid and not clean.has_empty
