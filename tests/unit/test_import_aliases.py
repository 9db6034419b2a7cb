"""Every header alias, every value alias and every date form, through the real importer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import duckdb
import pytest

from dashboard.ingest.importer import import_files
from dashboard.ingest.kinds import ENUMS, FALSE_VALUES, KINDS, SEMESTER_ALIASES, TRUE_VALUES
from dashboard.ingest.validate import table_columns
from tests.import_fixture import SCHOOL, csv_bytes, rows, school

Con = duckdb.DuckDBPyConnection
FILE_OF = {k.key: f"{k.label}.csv" for k in KINDS}
ALIASES = [(k, c, a) for k in KINDS for c in k.columns for a in c.aliases]


def test_every_alias_family_is_covered_by_the_school_files() -> None:
    for kind, column, _ in ALIASES:
        assert column.header in SCHOOL[FILE_OF[kind.key]][0], (kind.key, column.header)


def stored(con: Con, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    return sorted(rows(con, "select " + ", ".join(columns) + ' from "' + table + '"'), key=repr)


@pytest.mark.parametrize(("kind", "column", "alias"), ALIASES, ids=[f"{k.key}-{a}" for k, _, a in ALIASES])
def test_a_header_alias_reads_like_the_canonical_header(con: Con, kind: Any, column: Any, alias: str) -> None:
    name = FILE_OF[kind.key]
    lines = school(name)[name]
    columns = table_columns(kind)
    assert import_files(con, [(name, csv_bytes(lines))], imported_by="a").ok
    expected = stored(con, kind.table, columns)
    lines[0] = [alias if h == column.header else h for h in lines[0]]
    report = import_files(con, [(name, csv_bytes(lines))], imported_by="b")
    assert report.ok and report.changed, report.problems
    assert stored(con, kind.table, columns) == expected
    # The aliased column really was read: it holds values, not only NULLs.
    db_name = "id_hash" if column.type == "id_number" else column.name
    assert any(r[0] is not None for r in stored(con, kind.table, [db_name]))


def varied(file: str, column: str, key: str, values: list[str], make_key: Any) -> bytes:
    """One row per value of `column`, copied from the file's first data row, keys kept apart."""
    header, template = SCHOOL[file][0], SCHOOL[file][1]
    out = [header]
    for i, value in enumerate(values):
        row = list(template)
        row[header.index(column)] = value
        row[header.index(key)] = make_key(i)
        out.append(row)
    return csv_bytes(out)


# enum key → (file, column header, key header to vary, how, table, db column, db key column)
FAMILIES: dict[str, tuple[str, str, str, Any, str, str, str]] = {
    "division": ("學生名冊.csv", "部別", "學號", lambda i: f"S{i:03d}", "students", "division", "student_no"),
    "gender": ("學生名冊.csv", "性別", "學號", lambda i: f"S{i:03d}", "students", "gender", "student_no"),
    "enrolment": (
        "學生名冊.csv",
        "學籍狀態",
        "學號",
        lambda i: f"S{i:03d}",
        "students",
        "status",
        "student_no",
    ),
    "employment": (
        "教職員名冊.csv",
        "在職狀態",
        "教職員代碼",
        lambda i: f"T{i:03d}",
        "staff",
        "employment_status",
        "staff_code",
    ),
    "cert_status": (
        "課程學習成果.csv",
        "認證狀態",
        "成果編號",
        lambda i: f"K{i:03d}",
        "outcomes",
        "cert_status",
        "outcome_id",
    ),
    "fail_reason": (
        "課程學習成果.csv",
        "未通過原因",
        "成果編號",
        lambda i: f"K{i:03d}",
        "outcomes",
        "fail_reason",
        "outcome_id",
    ),
    "outcome_type": (
        "課程學習成果.csv",
        "成果類型",
        "成果編號",
        lambda i: f"K{i:03d}",
        "outcomes",
        "outcome_type",
        "outcome_id",
    ),
    "diverse_category": (
        "多元表現.csv",
        "類別",
        "表現編號",
        lambda i: f"K{i:03d}",
        "diverse",
        "category",
        "item_id",
    ),
    "cadre_level": (
        "幹部經歷.csv",
        "幹部等級",
        "擔任職務",
        lambda i: f"職{i:03d}",
        "cadres",
        "cadre_level",
        "position",
    ),
    "counselling_method": (
        "課程諮詢紀錄.csv",
        "諮詢方式",
        "諮詢教師代碼",
        lambda i: f"T{i:03d}",
        "counselling",
        "method",
        "counsellor_code",
    ),
    "submission_roster": (
        "提交紀錄.csv",
        "名冊別",
        "提交時間",
        lambda i: f"2025-08-10 10:{i:02d}",
        "submissions",
        "roster",
        "strftime(submitted_at, '%Y-%m-%d %H:%M')",
    ),
    "submission_result": (
        "提交紀錄.csv",
        "結果",
        "提交時間",
        lambda i: f"2025-08-10 10:{i:02d}",
        "submissions",
        "result",
        "strftime(submitted_at, '%Y-%m-%d %H:%M')",
    ),
    "receipt_roster": (
        "收訖確認.csv",
        "名冊別",
        "學號",
        lambda i: f"S{i:03d}",
        "receipts",
        "roster",
        "student_no",
    ),
    "receipt_status": (
        "收訖確認.csv",
        "確認狀態",
        "學號",
        lambda i: f"S{i:03d}",
        "receipts",
        "status",
        "student_no",
    ),
    "notice_method": (
        "收訖確認.csv",
        "通知方式",
        "學號",
        lambda i: f"S{i:03d}",
        "receipts",
        "notice_method",
        "student_no",
    ),
    "phase": ("作業期程.csv", "項目", "負責單位", lambda i: f"單位{i}", "schedule", "phase", "unit"),
    "training_type": ("研習場次.csv", "類型", "名稱", lambda i: f"場次{i:03d}", "trainings", "kind", "title"),
}


def test_every_enum_has_a_family_test() -> None:
    assert set(FAMILIES) == set(ENUMS)


@pytest.mark.parametrize("enum", sorted(ENUMS))
def test_every_value_alias_lands_as_its_canonical_value(con: Con, enum: str) -> None:
    file, column, key, make_key, table, db_column, db_key = FAMILIES[enum]
    expected: list[str] = []
    values: list[str] = []
    for canonical, aliases in ENUMS[enum].items():
        for text in (canonical, *aliases, *(a.lower() for a in aliases if a.lower() != a)):
            values.append(f" {text}\u3000")  # trimming applies to values too
            expected.append(canonical)
    report = import_files(con, [(file, varied(file, column, key, values, make_key))], imported_by="a")
    assert report.ok, report.problems
    got = dict(rows(con, "select " + db_key + ", " + db_column + ' from "' + table + '"'))
    assert [got[make_key(i)] for i in range(len(values))] == expected


def test_bool_and_semester_aliases(con: Con) -> None:
    flags = [*TRUE_VALUES, *FALSE_VALUES, "", "y", "true", "是"]
    expected_flags = [True] * len(TRUE_VALUES) + [False] * (len(FALSE_VALUES) + 1) + [True, True, True]
    terms = [*SEMESTER_ALIASES, "１", "2"]
    expected_terms = [*SEMESTER_ALIASES.values(), 1, 2]
    header = SCHOOL["課程學習成果.csv"][0]
    template = SCHOOL["課程學習成果.csv"][3]  # O3: nothing certified
    lines = [header]
    for i, flag in enumerate(flags):
        lines.append([f"F{i:02d}", *template[1:14], flag, ""])
    for i, term in enumerate(terms):
        lines.append([f"S{i:02d}", "113", term, *template[3:]])
    assert import_files(con, [("成果.csv", csv_bytes(lines))], imported_by="a").ok
    got = dict(rows(con, "select outcome_id, selected from outcomes where outcome_id like 'F%'"))
    assert [got[f"F{i:02d}"] for i in range(len(flags))] == expected_flags
    sem = dict(rows(con, "select outcome_id, semester from outcomes where outcome_id like 'S%'"))
    assert [sem[f"S{i:02d}"] for i in range(len(terms))] == expected_terms


TIMESTAMPS = {
    "2024-11-20 15:15": datetime(2024, 11, 20, 15, 15),
    "2024/11/20 15:15:07": datetime(2024, 11, 20, 15, 15, 7),
    "2024/1/5 08:05": datetime(2024, 1, 5, 8, 5),
    "113/11/20 15:16": datetime(2024, 11, 20, 15, 16),
    "1131120 15:17": datetime(2024, 11, 20, 15, 17),
    "113.11.20 15:18:09": datetime(2024, 11, 20, 15, 18, 9),
    "2024/11/20 下午 03:15:00": datetime(2024, 11, 20, 15, 15),
    "2024/11/20 上午 12:15:00": datetime(2024, 11, 20, 0, 15),
    "2024/11/20 下午 12:15:00": datetime(2024, 11, 20, 12, 15),
    "２０２４／１１／２１　１０：００": datetime(2024, 11, 21, 10, 0),
}
DATES = {
    "2024-10-15": date(2024, 10, 15),
    "2024/10/16": date(2024, 10, 16),
    "2024/1/5": date(2024, 1, 5),
    "113/10/17": date(2024, 10, 17),
    "1131018": date(2024, 10, 18),
    "113.10.19": date(2024, 10, 19),
}


def test_every_timestamp_and_date_form(con: Con) -> None:
    header = SCHOOL["課程學習成果.csv"][0]
    template = SCHOOL["課程學習成果.csv"][3]
    out = [header] + [[f"T{i:02d}", *template[1:7], text, *template[8:]] for i, text in enumerate(TIMESTAMPS)]
    c_header = SCHOOL["課程諮詢紀錄.csv"][0]
    talks = [c_header] + [["113", "1", f"S{i}", "T01", text, "團體"] for i, text in enumerate(DATES)]
    report = import_files(
        con, [("成果.csv", csv_bytes(out)), ("諮詢.csv", csv_bytes(talks))], imported_by="a"
    )
    assert report.ok, report.problems
    got = dict(rows(con, "select outcome_id, uploaded_at from outcomes"))
    assert [got[f"T{i:02d}"] for i in range(len(TIMESTAMPS))] == list(TIMESTAMPS.values())
    days = dict(rows(con, "select student_no, counselled_on from counselling"))
    assert [days[f"S{i}"] for i in range(len(DATES))] == list(DATES.values())
