"""Non-blocking warnings, recomputed from the live tables: orphans, caps, selected-not-passed."""

from __future__ import annotations

import duckdb

from dashboard import db
from dashboard.ingest.importer import import_files
from dashboard.ingest.writer import recompute_warnings
from tests.import_fixture import SCHOOL, csv_bytes, rows, school, uploads

Con = duckdb.DuckDBPyConnection
OUT = SCHOOL["課程學習成果.csv"][0]
DIV = SCHOOL["多元表現.csv"][0]


def outcome(oid: str, year: str, term: str, student: str, *, teacher: str = "T01", **extra: str) -> list[str]:
    row = dict.fromkeys(OUT, "")
    row.update(
        {
            "成果編號": oid,
            "學年度": year,
            "學期": term,
            "學號": student,
            "課程代碼": "C001",
            "任課教師代碼": teacher,
            "上傳時間": "2024-11-20 10:00",
            "認證狀態": "通過",
        }
    )
    row.update(extra)
    return [row[h] for h in OUT]


def diverse(iid: str, student: str, term: str = "", selected: str = "N", at: str = "") -> list[str]:
    return [iid, "113", term, student, "競賽", "", "2025-03-01 10:00", selected, at]


def warnings(con: Con, category: str) -> list[tuple[object, ...]]:
    return rows(
        con,
        "select category, kind, school_year, semester, student_no, staff_code, record_key, file_name,"
        " source_row, message from data_warnings where category = $c order by kind, record_key, staff_code",
        {"c": category},
    )


def test_orphan_students_only_where_the_roster_was_imported(con: Con) -> None:
    assert import_files(con, uploads(school()), imported_by="a").warnings_count == 0
    outcomes = [
        OUT,
        outcome("X1", "113", "1", "1130009"),
        outcome("X2", "112", "1", "1120001"),  # no 112 roster at all: not an orphan
        outcome("X3", "113", "2", "1130001"),
    ]
    items = [DIV, diverse("Y1", "1130008"), diverse("Y2", "1130003")]
    receipts = [
        SCHOOL["收訖確認.csv"][0],
        ["113", "0", "多元表現", "1130007", "未確認", "", "", "", "", "", ""],
    ]
    files = [("成果.csv", outcomes), ("多元.csv", items), ("收訖.csv", receipts)]
    # The receipts file of orphans only replaces the whole of 113's per-year roster: confirmed.
    report = import_files(con, [(n, csv_bytes(r)) for n, r in files], imported_by="b", confirm=True)
    assert report.ok and report.warnings_count == 3
    assert warnings(con, "orphan_student") == [
        (
            "orphan_student",
            "diverse",
            113,
            None,
            "1130008",
            None,
            "Y1",
            "多元.csv",
            2,
            "多元表現的學號 1130008 不在 113 學年度的學生名冊中",
        ),
        (
            "orphan_student",
            "outcomes",
            113,
            1,
            "1130009",
            None,
            "X1",
            "成果.csv",
            2,
            "課程學習成果的學號 1130009 不在 113 學年度第 1 學期的學生名冊中",
        ),
        (
            "orphan_student",
            "receipts",
            113,
            0,
            "1130007",
            None,
            "多元表現",
            "收訖.csv",
            2,
            "收訖確認的學號 1130007 不在 113 學年度的學生名冊中",
        ),
    ]
    # A roster imported later explains the orphan: warnings follow the live tables.
    roster = school("學生名冊.csv")["學生名冊.csv"]
    roster.append(["113", "1", "日間部", "1130009", "", "新同學", "", "機械科", "1", "機一甲", "", "轉入"])
    report = import_files(con, [("學生名冊.csv", csv_bytes(roster))], imported_by="c")
    assert report.warnings_count == 2
    assert [w[6] for w in warnings(con, "orphan_student")] == ["Y1", "多元表現"]


def test_orphan_teachers_once_staff_has_rows(con: Con) -> None:
    odd = [OUT, outcome("Z1", "113", "1", "1130001", teacher="T99", 認證人代碼="X01")]
    first = import_files(con, [("成果.csv", csv_bytes(odd))], imported_by="a")
    assert first.warnings_count == 0  # no 教職員名冊 yet: nothing to compare with
    talks = [SCHOOL["課程諮詢紀錄.csv"][0], ["113", "1", "1130001", "T98", "2024-10-15", ""]]
    offers = [SCHOOL["開課資料.csv"][0], ["113", "1", "日間部", "C009", "製圖", "機一甲", "T97"]]
    files = [("諮詢.csv", csv_bytes(talks)), ("開課.csv", csv_bytes(offers))]
    report = import_files(con, [*uploads(school("教職員名冊.csv")), *files], imported_by="b")
    assert report.warnings_count == 4
    assert warnings(con, "orphan_teacher") == [
        (
            "orphan_teacher",
            "counselling",
            113,
            1,
            "1130001",
            "T98",
            "1130001／2024-10-15",
            "諮詢.csv",
            2,
            "課程諮詢紀錄的諮詢教師代碼 T98 不在教職員名冊中",
        ),
        (
            "orphan_teacher",
            "offerings",
            113,
            1,
            None,
            "T97",
            "C009／機一甲",
            "開課.csv",
            2,
            "開課資料的任課教師代碼 T97 不在教職員名冊中",
        ),
        (
            "orphan_teacher",
            "outcomes",
            113,
            1,
            "1130001",
            "T99",
            "Z1",
            "成果.csv",
            2,
            "課程學習成果的任課教師代碼 T99 不在教職員名冊中",
        ),
        (
            "orphan_teacher",
            "outcomes",
            113,
            1,
            "1130001",
            "X01",
            "Z1",
            "成果.csv",
            2,
            "課程學習成果的認證人代碼 X01 不在教職員名冊中",
        ),
    ]


def test_caps_exceeded_with_the_rules_in_force_for_the_year(con: Con) -> None:
    import_files(con, uploads(school("學生名冊.csv")), imported_by="a")
    outcomes = [OUT]
    for i in range(1, 8):  # U1..U7 uploaded one day apart: U7 is the 7th, on row 8
        outcomes.append(outcome(f"U{i}", "113", "1", "1130001", 上傳時間=f"2024-11-0{i} 10:00"))
    for i in range(1, 8):  # 7 selections over both semesters of 113
        term = "1" if i <= 4 else "2"
        outcomes.append(outcome(f"P{i}", "113", term, "1130002", 勾選="Y", 勾選時間=f"2025-07-0{i} 10:00"))
    items = [DIV] + [diverse(f"V{i:02d}", "1130001") for i in range(1, 22)]
    items += [diverse(f"W{i:02d}", "1130002", "", "Y", f"2025-07-{i:02d} 10:00") for i in range(1, 12)]
    files = [("成果.csv", csv_bytes(outcomes)), ("多元.csv", csv_bytes(items))]
    report = import_files(con, files, imported_by="b")
    assert report.ok and report.warnings_count == 4
    assert warnings(con, "over_cap") == [
        (
            "over_cap",
            "diverse",
            113,
            None,
            "1130001",
            None,
            "V21",
            "多元.csv",
            22,
            "學號 1130001 在 113 學年度上傳 21 件多元表現，超過上限 20 件",
        ),
        (
            "over_cap",
            "diverse",
            113,
            None,
            "1130002",
            None,
            "W11",
            "多元.csv",
            33,
            "學號 1130002 在 113 學年度勾選 11 件多元表現，超過上限 10 件",
        ),
        (
            "over_cap",
            "outcomes",
            113,
            None,
            "1130002",
            None,
            "P7",
            "成果.csv",
            15,
            "學號 1130002 在 113 學年度勾選 7 件課程學習成果，超過上限 6 件",
        ),
        (
            "over_cap",
            "outcomes",
            113,
            1,
            "1130001",
            None,
            "U7",
            "成果.csv",
            8,
            "學號 1130001 在 113 學年度第 1 學期上傳 7 件課程學習成果，超過上限 6 件",
        ),
    ]
    # An amendment effective from 113 raises one cap; one from 114 does not apply to 113.
    con.execute("insert into rules values ('outcome_upload_cap_per_semester', 7, 113, '測試')")
    con.execute("insert into rules values ('diverse_upload_cap_per_year', 30, 114, '測試')")
    with db.transaction(con) as cur:
        assert recompute_warnings(cur) == 3
    assert [w[6] for w in warnings(con, "over_cap")] == ["V21", "W11", "P7"]


def test_a_selected_outcome_that_did_not_pass(con: Con) -> None:
    lines = [
        OUT,
        outcome("G1", "113", "1", "1130001", 勾選="Y"),
        outcome("G2", "113", "1", "1130002", 勾選="Y", 認證狀態="未通過", 科目名稱="程式設計"),
        outcome("G3", "113", "2", "1130001", 勾選="是", 認證狀態="", 送出認證時間="2025-04-02 10:00"),
        outcome("G4", "113", "2", "1130002", 勾選="N", 認證狀態="未通過"),
    ]
    report = import_files(con, [("成果.csv", csv_bytes(lines))], imported_by="a")
    assert report.warnings_count == 2
    assert warnings(con, "selected_not_passed") == [
        (
            "selected_not_passed",
            "outcomes",
            113,
            1,
            "1130002",
            None,
            "G2",
            "成果.csv",
            3,
            "學號 1130002 勾選的課程學習成果 G2（程式設計）認證狀態為「未通過」；只有認證通過的成果可以勾選",
        ),
        (
            "selected_not_passed",
            "outcomes",
            113,
            2,
            "1130001",
            None,
            "G3",
            "成果.csv",
            4,
            "學號 1130001 勾選的課程學習成果 G3 認證狀態為「認證中」；只有認證通過的成果可以勾選",
        ),
    ]
