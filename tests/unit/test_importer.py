"""The import semantics: every kind lands, provenance, snapshot replace, idempotence, progress."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date, datetime
from pathlib import Path

import duckdb

from dashboard.ingest.importer import import_files, import_paths, validate_files
from dashboard.ingest.readers import TAIPEI
from tests.import_fixture import SCHOOL, csv_bytes, dump, rows, school, uploads, write_files, zip_bytes

Con = duckdb.DuckDBPyConnection
EXPORTED = datetime(2025, 8, 31, 17, 0)


def count(con: Con, table: str) -> int:
    return int(rows(con, 'select count(*) from "' + table + '"')[0][0])


def test_the_whole_school_lands_in_every_table(con: Con, tmp_path: Path) -> None:
    folder = write_files(tmp_path / "匯出", school())
    report = import_paths(con, [folder], imported_by="註冊組", exported_at=EXPORTED)
    assert report.ok and report.changed and report.problems == []
    assert report.warnings_count == 0
    summary = {f.file: (f.kind, f.kind_label, f.rows, f.scopes, f.skipped_identical) for f in report.files}
    both = [(113, 1, "日間部"), (113, 1, "進修部"), (113, 2, "日間部"), (113, 2, "進修部")]
    assert summary["匯出/學生名冊.csv"] == ("students", "學生名冊", 6, both, False)
    assert summary["匯出/教職員名冊.csv"] == ("staff", "教職員名冊", 3, [], False)
    # 多元表現 has no 部別: its student's latest roster row of the year, in the same bundle, gives it.
    assert summary["匯出/多元表現.csv"] == ("diverse", "多元表現", 2, [(113, None, "日間部")], False)
    # An empty 部別 of 研習場次 is the scope both divisions share.
    shared = [(113, None, None), (113, None, "日間部")]
    assert summary["匯出/研習場次.csv"] == ("trainings", "研習場次", 2, shared, False)
    assert summary["匯出/提交紀錄.csv"][3] == [(113, 0, "日間部"), (113, 1, "日間部")]
    counts = {
        "students": 6,
        "staff": 3,
        "course_offerings": 2,
        "outcomes": 4,
        "diverse": 2,
        "cadres": 1,
        "counselling": 1,
        "submissions": 2,
        "receipts": 2,
        "schedule": 2,
        "trainings": 2,
        "imports": 11,
    }
    assert {t: count(con, t) for t in counts} == counts

    # Derived 認證狀態, the defaults of kinds.py, aliases such as 02 → its full reason.
    assert rows(
        con,
        "select outcome_id, cert_status, outcome_type, selected, fail_reason, submitted_at, source_row"
        " from outcomes order by outcome_id",
    ) == [
        ("O1", "通過", "學期", True, None, datetime(2024, 11, 21, 8, 0), 2),
        ("O2", "未通過", "學期", False, "02 無法查證成果可信度", datetime(2024, 11, 23, 8, 0), 3),
        ("O3", "未送出", "學期", False, None, None, 4),
        ("O4", "認證中", "重修", False, None, datetime(2025, 4, 2, 10, 0), 5),
    ]
    assert rows(con, "select item_id, semester, category, selected from diverse order by item_id") == [
        ("D1", None, "競賽參與紀錄", True),
        ("D2", 1, "檢定證照紀錄", False),
    ]
    assert rows(con, "select semester, batch, result, row_count from submissions order by semester") == [
        (0, 1, "成功", 120),
        (1, 1, "成功", 3),
    ]
    assert rows(con, "select student_no, semester, notice_method from receipts order by student_no") == [
        ("1130001", 0, "平臺"),
        ("1130002", 1, "紙本郵寄"),
    ]
    assert rows(
        con, "select division, end_date, self_check_date from schedule order by division nulls first"
    ) == [
        (None, date(2025, 2, 10), date(2025, 2, 3)),
        ("進修部", date(2025, 2, 14), None),
    ]
    assert rows(con, "select audience, division, attendance from trainings order by held_on") == [
        ("學生、家長", None, 300),
        ("教師", "日間部", 45),
    ]
    assert rows(
        con,
        "select student_no, name, status, status_changed_on, id_masked, source_row from students"
        " where semester = 1 order by student_no",
    ) == [
        ("1130001", "王小明", "在學", None, "A12****789", 2),
        ("1130002", "林堃喆", "在學", None, "B23****890", 3),
        ("1130003", "陳峯", "休學", date(2024, 10, 1), None, 4),
    ]


def test_provenance_row_for_each_file(con: Con, tmp_path: Path) -> None:
    folder = write_files(tmp_path / "匯出", school("學生名冊.csv", "課程學習成果.csv"))
    os.utime(folder / "學生名冊.csv", (1_732_086_900, 1_732_086_900))  # 2024-11-20 15:15 in Taipei
    os.utime(folder / "課程學習成果.csv", (1_732_086_960, 1_732_086_960))
    before = datetime.now(TAIPEI).replace(tzinfo=None)
    report = import_paths(con, [folder], imported_by="註冊組 王組長")
    after = datetime.now(TAIPEI).replace(tzinfo=None)
    logged = rows(
        con,
        "select import_id, batch_id, file_name, sheet_name, sha256, kind, scopes, row_count, imported_by,"
        " exported_at, exported_at_source, imported_at from imports order by import_id",
    )
    sha = {
        n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in ("學生名冊.csv", "課程學習成果.csv")
    }
    assert [r[:11] for r in logged] == [
        (
            1,
            report.batch_id,
            "匯出/學生名冊.csv",
            None,
            sha["學生名冊.csv"],
            "students",
            '[[113, 1, "日間部"], [113, 1, "進修部"], [113, 2, "日間部"], [113, 2, "進修部"]]',
            6,
            "註冊組 王組長",
            datetime(2024, 11, 20, 15, 15),
            "檔案時間",
        ),
        (
            2,
            report.batch_id,
            "匯出/課程學習成果.csv",
            None,
            sha["課程學習成果.csv"],
            "outcomes",
            '[[113, 1, "日間部"], [113, 2, "日間部"]]',
            4,
            "註冊組 王組長",
            datetime(2024, 11, 20, 15, 16),
            "檔案時間",
        ),
    ]
    assert all(before <= r[11] <= after for r in logged)
    assert [f.sha256 for f in report.files] == [sha["學生名冊.csv"], sha["課程學習成果.csv"]]
    assert rows(con, "select distinct import_id from students") == [(1,)]
    assert rows(con, "select distinct import_id from outcomes") == [(2,)]


def test_export_time_given_unknown_or_from_the_zip_member(con: Con) -> None:
    import_files(con, uploads(school("教職員名冊.csv")), imported_by="a")
    import_files(con, uploads(school("研習場次.csv")), imported_by="b", exported_at=EXPORTED)
    bundle = zip_bytes({"多元表現.csv": csv_bytes(school("多元表現.csv")["多元表現.csv"])})
    import_files(con, [("bundle.zip", bundle)], imported_by="c")
    assert rows(
        con, "select file_name, kind, scopes, exported_at, exported_at_source from imports order by 1"
    ) == [
        (
            "bundle.zip/多元表現.csv",
            "diverse",
            '[[113, null, "*"]]',  # no roster to say its 部別: the whole year
            datetime(2025, 3, 4, 5, 6, 8),
            "檔案時間",
        ),
        ("教職員名冊.csv", "staff", '"all"', None, "未知"),
        ("研習場次.csv", "trainings", '[[113, null, null], [113, null, "日間部"]]', EXPORTED, "指定"),
    ]


def outcome(oid: str, year: str, semester: str, status: str = "通過") -> list[str]:
    """The school's outcome O1 (王小明's 機械製造, uploaded and sent) as `oid` of `year`-`semester`,
    with `status` and every later column blank."""
    o1 = SCHOOL["課程學習成果.csv"][1]
    return [oid, year, semester, *o1[3:9], status, *[""] * 6]


def outcomes_file(*lines: list[str]) -> list[list[str]]:
    return [school("課程學習成果.csv")["課程學習成果.csv"][0], *lines]


def test_snapshot_replace_touches_only_the_scopes_present(con: Con) -> None:
    first = outcomes_file(
        outcome("O0", "112", "2"),
        outcome("O1", "113", "1"),
        outcome("O2", "113", "1"),
        outcome("O4", "113", "2"),
    )
    import_files(con, [("成果1.csv", csv_bytes(first))], imported_by="a")
    second = outcomes_file(outcome("O1", "113", "1", "未通過"), outcome("O5", "113", "1", "認證中"))
    report = import_files(con, [("成果2.csv", csv_bytes(second))], imported_by="b")
    # No roster: the students' 部別 is unknown, so the file replaces the whole of 113-1.
    assert report.ok and report.changed and report.files[0].scopes == [(113, 1, "*")]
    assert rows(
        con, "select outcome_id, school_year, semester, cert_status, import_id from outcomes order by 1"
    ) == [
        ("O0", 112, 2, "通過", 1),
        ("O1", 113, 1, "未通過", 2),
        ("O4", 113, 2, "通過", 1),
        ("O5", 113, 1, "認證中", 2),
    ]


def test_diverse_export_replaces_the_whole_year(con: Con) -> None:
    head = ["表現編號", "學年度", "學期", "學號", "類別", "上傳時間"]
    first = [
        head,
        ["D1", "113", "1", "1130001", "競賽", "2024-10-01 10:00"],
        ["D2", "112", "", "1120001", "證照", "2024-03-01"],
    ]
    assert import_files(con, [("a.csv", csv_bytes(first))], imported_by="a").ok
    # The platform now lists D1 as a whole-year item and adds D3; 112 is not in this export.
    second = [
        head,
        ["D1", "113", "", "1130001", "競賽", "2024-10-01 10:00"],
        ["D3", "113", "2", "1130001", "證照", "2025-03-01"],
    ]
    report = import_files(con, [("b.csv", csv_bytes(second))], imported_by="b")
    assert report.ok and report.files[0].scopes == [(113, None, "*")]
    assert rows(con, "select item_id, school_year, semester from diverse order by 1") == [
        ("D1", 113, None),
        ("D2", 112, None),
        ("D3", 113, 2),
    ]


def test_staff_is_replaced_whole_and_trainings_by_year(con: Con) -> None:
    import_files(con, uploads(school("教職員名冊.csv", "研習場次.csv")), imported_by="a")
    staff = [["教職員代碼", "姓名", "單位", "在職狀態"], ["T09", "新老師", "電機科", "在職"]]
    trainings = [["學年度", "日期", "類型"], ["112", "2023-09-01", "專業研習"]]
    files = [("s.csv", csv_bytes(staff)), ("t.csv", csv_bytes(trainings))]
    # Two of three staff vanish: the import waits for a confirmation, then goes ahead.
    refused = import_files(con, files, imported_by="b")
    assert refused.needs_confirmation and not refused.ok
    assert rows(con, "select count(*) from staff") == [(3,)]
    assert import_files(con, files, imported_by="b", confirm=refused.fingerprint).ok
    assert rows(con, "select staff_code from staff") == [("T09",)]
    assert rows(con, "select school_year, kind from trainings order by 1, 2") == [
        (112, "專業研習"),
        (113, "宣導說明"),
        (113, "系統操作訓練"),
    ]


def test_reimporting_a_byte_identical_bundle_changes_nothing_and_says_so(con: Con, tmp_path: Path) -> None:
    folder = write_files(tmp_path / "匯出", school())
    import_paths(con, [folder], imported_by="a", exported_at=EXPORTED)
    before = dump(con)
    again = import_paths(con, [folder], imported_by="b")
    assert again.ok and not again.changed and again.problems == []
    assert [f.skipped_identical for f in again.files] == [True] * 11
    assert dump(con) == before
    renamed = import_files(con, [("另存.csv", (folder / "學生名冊.csv").read_bytes())], imported_by="c")
    assert renamed.ok and not renamed.changed  # same bytes under another name
    assert dump(con) == before


def test_one_changed_file_in_a_bundle_is_imported_the_rest_skipped(con: Con, tmp_path: Path) -> None:
    folder = write_files(tmp_path / "匯出", school("學生名冊.csv", "教職員名冊.csv"))
    import_paths(con, [folder], imported_by="a")
    staff = school("教職員名冊.csv")["教職員名冊.csv"]
    staff[1][4] = "離職"
    write_files(folder, {"教職員名冊.csv": staff})
    report = import_paths(con, [folder], imported_by="b")
    assert report.changed
    assert [(f.kind, f.skipped_identical) for f in report.files] == [("students", True), ("staff", False)]
    assert rows(con, "select employment_status from staff where staff_code = 'T01'") == [("離職",)]
    assert count(con, "imports") == 3


def test_a_file_sharing_its_scope_with_a_changed_file_is_reimported_too(con: Con) -> None:
    students = school("學生名冊.csv")["學生名冊.csv"]
    head, first_day, second_day, night_student = students[0], students[1], students[2], students[3]
    day_a, day_b, night = [head, first_day], [head, second_day], [head, night_student]
    assert {r[2] for r in (first_day, second_day)} == {"日間部"} and night_student[2] == "進修部"

    def bundle() -> list[tuple[str, bytes]]:
        return [
            ("日間部A.csv", csv_bytes(day_a)),
            ("日間部B.csv", csv_bytes(day_b)),
            ("進修部.csv", csv_bytes(night)),
        ]

    import_files(con, bundle(), imported_by="a")
    day_b[1][5] = "林大峯"
    report = import_files(con, bundle(), imported_by="b")
    # Skipping 日間部A.csv would lose its row when scope 113-1 日間部 is replaced; 進修部.csv
    # shares no scope with the changed file and stays as it was.
    assert [f.skipped_identical for f in report.files] == [False, False, True]
    assert rows(con, "select student_no, name from students order by 1") == [
        ("1130001", first_day[5]),
        ("1130002", "林大峯"),
        ("1130003", night_student[5]),
    ]
    alone = import_files(con, [("日間部A.csv", csv_bytes(day_a))], imported_by="c")
    assert not alone.changed and alone.files[0].skipped_identical


def test_an_older_file_after_a_newer_one_is_imported_again(con: Con) -> None:
    a = csv_bytes(outcomes_file(outcome("O1", "113", "1")))
    b = csv_bytes(outcomes_file(outcome("O1", "113", "1", "未通過")))
    for data in (a, b, a):
        report = import_files(con, [("成果.csv", data)], imported_by="x")
        assert report.changed
    assert rows(con, "select cert_status from outcomes") == [("通過",)]


def test_validate_files_previews_without_writing(con: Con) -> None:
    before = dump(con)
    tables, report = validate_files(con, uploads(school("課程學習成果.csv")))
    assert report.ok and report.changed
    assert dump(con) == before
    (table,) = tables
    frame = table.to_frame()
    assert list(frame["outcome_id"]) == ["O1", "O2", "O3", "O4"]
    assert list(frame["cert_status"]) == ["通過", "未通過", "未送出", "認證中"]
    assert list(frame["source_row"]) == [2, 3, 4, 5]
    import_files(con, uploads(school("課程學習成果.csv")), imported_by="x")
    _, again = validate_files(con, uploads(school("課程學習成果.csv")))
    assert again.ok and not again.changed and again.files[0].skipped_identical


def test_progress_goes_from_0_to_1_with_a_message_per_stage(con: Con, tmp_path: Path) -> None:
    seen: list[tuple[float, str]] = []
    folder = write_files(tmp_path / "匯出", school("學生名冊.csv", "課程學習成果.csv"))
    import_paths(con, [folder], imported_by="a", progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    messages = [m for _, m in seen]
    assert "檢查 匯出/學生名冊.csv" in messages
    assert "寫入學生名冊（匯出/學生名冊.csv）" in messages
    assert messages[-1] == "完成"


def test_report_to_dict_is_json_ready(con: Con) -> None:
    report = import_files(con, uploads(school("多元表現.csv")), imported_by="a")
    data = json.loads(json.dumps(report.to_dict()))
    assert data["ok"] is True
    assert data["files"][0]["scopes"] == [[113, None, "*"]]
    assert set(data) == {
        "ok",
        "problems",
        "files",
        "warnings_count",
        "batch_id",
        "changed",
        "changes",
        "cautions",
        "fingerprint",
        "needs_confirmation",
    }
    assert data["changes"][0]["scope"] == [113, None, "*"]


def test_two_uploads_with_the_same_name_are_reported_apart(con: Con) -> None:
    students = school("學生名冊.csv")["學生名冊.csv"]
    first, second = [students[0], *students[1:4]], [students[0], *students[4:]]
    report = import_files(
        con, [("學生名冊.csv", csv_bytes(first)), ("學生名冊.csv", csv_bytes(second))], imported_by="a"
    )
    assert report.ok
    assert [(f.file, f.rows, f.scopes) for f in report.files] == [
        ("學生名冊.csv", 3, [(113, 1, "日間部"), (113, 1, "進修部")]),
        ("學生名冊.csv", 3, [(113, 2, "日間部"), (113, 2, "進修部")]),
    ]
