"""db.record: a query row (or another record) becomes a dataclass by field name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from dashboard import db


@dataclass(frozen=True)
class _Row:
    code: str
    name: str | None
    note: str = ""
    due: date | None = None
    count: int = 0


def test_each_field_from_the_column_of_its_name_and_extra_columns_ignored() -> None:
    got = db.record(_Row, {"code": "T01", "name": "王", "note": "x", "due": date(2026, 1, 2), "other": 1})
    assert got == _Row("T01", "王", "x", date(2026, 1, 2), 0)


def test_null_becomes_blank_only_where_the_field_is_plain_text() -> None:
    got = db.record(_Row, {"code": "T01", "name": None, "note": None, "due": None})
    assert got.note == ""  # str: a blank text
    assert got.name is None  # str | None keeps its NULL
    assert got.due is None


def test_given_values_win_and_missing_fields_keep_their_default() -> None:
    got = db.record(_Row, {"code": "T01", "name": "王", "count": 3}, count=7, note="given")
    assert (got.count, got.note, got.due) == (7, "given", None)


def test_from_another_records_attributes() -> None:
    @dataclass(frozen=True)
    class _Wide:
        code: str
        name: str | None
        count: int
        unused: str

    got = db.record(_Row, _Wide("T02", None, 5, "zz"))
    assert got == _Row("T02", None, "", None, 5)


def test_a_required_field_the_source_lacks_is_an_error() -> None:
    with pytest.raises(TypeError):
        db.record(_Row, {"name": "王"})
