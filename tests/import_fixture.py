"""Builders the importer tests share (no tests here): a small school written as real files in
every format, and a dump of the whole database to prove a rejected import changed nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter
import xlwt

from dashboard.demo.bundle import DEMO_DIR
from dashboard.ingest.kinds import KINDS

Rows = list[list[str]]

ROSTER_HEADER = [
    "學年度",
    "學期",
    "部別",
    "學號",
    "身分證號",
    "姓名",
    "性別",
    "科別",
    "年級",
    "班級",
    "座號",
    "學籍狀態",
    "異動日期",
    "畢業學年度",
    "通訊地址",
]
# The school's three students: 部別 to 座號 (the columns between 學期 and 學籍狀態).
STUDENTS = (
    ("日間部", "1130001", "A123456789", "王小明", "男", "機械科", "1", "機一甲", "1"),
    ("日間部", "1130002", "B234567890", "林堃喆", "女", "資訊科", "1", "資一甲", "2"),
    ("進修部", "1130003", "", "陳峯", "男", "電機科", "2", "進電二", "3"),
)


def _enrolled(semester: str, *changes: tuple[str, str]) -> Rows:
    """The three students' rows of 113-`semester`, each with its 學籍狀態 and 異動日期 in `changes`."""
    return [
        ["113", semester, *student, status, changed_on, "", ""]
        for student, (status, changed_on) in zip(STUDENTS, changes, strict=True)
    ]


# A small school, one file per kind, every value chosen so that tests can assert exact results.
SCHOOL: dict[str, Rows] = {
    # 陳峯 takes a leave in 113-1 and comes back in 113-2.
    "學生名冊.csv": [
        ROSTER_HEADER,
        *_enrolled("1", ("在學", ""), ("在學", ""), ("休學", "2024/10/01")),
        *_enrolled("2", ("在學", ""), ("在學", ""), ("復學", "2025/02/10")),
    ],
    "教職員名冊.csv": [
        ["教職員代碼", "姓名", "單位", "職稱", "在職狀態", "異動日期", "帳號停用日期"],
        ["T01", "王老師", "機械科", "教師", "在職", "", ""],
        ["T02", "李老師", "資訊科", "導師", "在職", "", ""],
        ["R01", "張組長", "教務處註冊組", "註冊組長", "在職", "", ""],
    ],
    "開課資料.csv": [
        ["學年度", "學期", "部別", "課程代碼", "科目名稱", "班級", "任課教師代碼"],
        ["113", "1", "日間部", "C001", "機械製造", "機一甲", "T01"],
        ["113", "1", "日間部", "C002", "程式設計", "資一甲", "T02"],
    ],
    "課程學習成果.csv": [
        [
            "成果編號",
            "學年度",
            "學期",
            "學號",
            "課程代碼",
            "科目名稱",
            "任課教師代碼",
            "上傳時間",
            "送出認證時間",
            "認證狀態",
            "認證時間",
            "認證人代碼",
            "未通過原因",
            "成果類型",
            "勾選",
            "勾選時間",
        ],
        [
            "O1",
            "113",
            "1",
            "1130001",
            "C001",
            "機械製造",
            "T01",
            "2024-11-20 10:00",
            "2024-11-21 08:00",
            "通過",
            "2024-12-01 09:00",
            "T01",
            "",
            "",
            "Y",
            "2025-07-10 10:00",
        ],
        [
            "O2",
            "113",
            "1",
            "1130002",
            "C002",
            "程式設計",
            "T02",
            "2024-11-22 10:00",
            "2024-11-23 08:00",
            "未通過",
            "2024-12-02 09:00",
            "R01",
            "02",
            "",
            "N",
            "",
        ],
        [
            "O3",
            "113",
            "1",
            "1130002",
            "C002",
            "程式設計",
            "T02",
            "2024-11-25 10:00",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "O4",
            "113",
            "2",
            "1130001",
            "C001",
            "機械製造",
            "T01",
            "2025-04-01 10:00",
            "2025-04-02 10:00",
            "",
            "",
            "",
            "",
            "重修",
            "",
            "",
        ],
    ],
    "多元表現.csv": [
        ["表現編號", "學年度", "學期", "學號", "類別", "名稱", "上傳時間", "勾選", "勾選時間"],
        [
            "D1",
            "113",
            "",
            "1130001",
            "競賽參與紀錄",
            "全國技藝競賽",
            "2025-03-01 10:00",
            "Y",
            "2025-07-10 10:00",
        ],
        ["D2", "113", "1", "1130002", "檢定證照紀錄", "丙級技術士", "2024-12-01 10:00", "N", ""],
    ],
    "幹部經歷.csv": [
        ["學年度", "學期", "學號", "幹部等級", "單位名稱", "擔任職務", "登錄單位", "登錄人代碼", "登錄時間"],
        ["113", "1", "1130001", "班級", "機一甲", "班長", "學務處訓育組", "R01", "2024-10-01 09:00"],
    ],
    "課程諮詢紀錄.csv": [
        ["學年度", "學期", "學號", "諮詢教師代碼", "諮詢日期", "諮詢方式"],
        ["113", "1", "1130001", "T01", "2024-10-15", "個別"],
    ],
    "提交紀錄.csv": [
        ["學年度", "學期", "部別", "名冊別", "梯次", "提交單位", "提交人代碼", "提交時間", "筆數", "結果"],
        ["113", "0", "日間部", "課程學習成果", "", "教務處註冊組", "R01", "2025-08-10 10:00", "120", ""],
        ["113", "1", "日間部", "學籍資料", "1", "教務處註冊組", "R01", "2024-10-20 10:00", "3", "成功"],
    ],
    "收訖確認.csv": [
        [
            "學年度",
            "學期",
            "名冊別",
            "學號",
            "確認狀態",
            "確認時間",
            "錯誤別",
            "問題描述",
            "答覆",
            "答覆時間",
            "通知方式",
        ],
        ["113", "0", "課程學習成果", "1130001", "已確認", "2025-08-20 10:00", "", "", "", "", ""],
        [
            "113",
            "1",
            "修課紀錄",
            "1130002",
            "回報錯誤",
            "2025-02-20 10:00",
            "成績錯誤",
            "科目缺漏",
            "已更正",
            "2025-02-21 10:00",
            "紙本郵寄",
        ],
    ],
    "作業期程.csv": [
        ["學年度", "學期", "部別", "項目", "開始日期", "結束日期", "自我檢核日期", "負責單位"],
        ["113", "1", "", "教師認證", "2025-01-20", "2025-02-10", "2025-02-03", "教務處註冊組"],
        ["113", "1", "進修部", "教師認證", "2025-01-20", "2025-02-14", "", "進修部教務組"],
    ],
    "研習場次.csv": [
        ["學年度", "日期", "類型", "名稱", "對象", "部別", "主辦單位", "參加人數"],
        ["113", "2024-09-10", "宣導說明", "學習歷程說明會", "學生、家長", "", "教務處", "300"],
        ["113", "2024-10-05", "系統操作訓練", "平臺操作", "教師", "日間部", "教務處", "45"],
    ],
}


def csv_bytes(rows: Rows, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def write_files(folder: Path, files: dict[str, Rows], encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        (folder / name).write_bytes(csv_bytes(rows, encoding))
    return folder


def school(*names: str) -> dict[str, Rows]:
    """Deep copies of some of the school's files (all when no name is given)."""
    chosen = names or tuple(SCHOOL)
    return {n: [list(r) for r in SCHOOL[n]] for n in chosen}


def uploads(files: dict[str, Rows], encoding: str = "utf-8") -> list[tuple[str, bytes]]:
    return [(name, csv_bytes(rows, encoding)) for name, rows in files.items()]


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 3, 4, 5, 6, 8))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def _write_cells(
    rows: list[list[Any]],
    write: Callable[[int, int, Any], object],
    write_date: Callable[[int, int, Any], object],
) -> None:
    """Each cell of a sheet's `rows` through `write(row, column, value)`, a date (anything with a
    year) through `write_date`; a None or empty cell is left unwritten."""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if hasattr(value, "year"):
                write_date(r, c, value)
            elif value is not None and value != "":
                write(r, c, value)


def xlsx_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    """An .xlsx; datetime cells get a date format so Excel (and calamine) see dates."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        _write_cells(rows, sheet.write, partial(sheet.write_datetime, cell_format=stamp))
    book.close()
    return buf.getvalue()


def xls_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    stamp = xlwt.easyxf(num_format_str="YYYY-MM-DD hh:mm:ss")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        _write_cells(rows, sheet.write, partial(sheet.write, style=stamp))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def dump(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (sorted) and every sequence's position: the whole database content."""
    names = con.execute(
        "select table_name from information_schema.tables"
        " where table_schema = 'main' and table_type = 'BASE TABLE' order by table_name"
    ).fetchall()
    out: dict[str, list[tuple[Any, ...]]] = {}
    for (name,) in names:
        rows = con.execute('select * from "' + name.replace('"', '""') + '"').fetchall()
        out[name] = sorted(rows, key=repr)
    out["(sequences)"] = con.execute(
        "select sequence_name, last_value from duckdb_sequences() order by sequence_name"
    ).fetchall()
    return out


def rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    return con.execute(sql, params or {}).fetchall()


# 進修部's own export of one semester, cut from the demo bundle.
YEAR, TERM = 114, 2
NIGHT = "進修部"


def demo_rows(name: str) -> list[list[str]]:
    with (DEMO_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _divisions() -> tuple[dict[tuple[str, str, str], str], dict[tuple[str, str], str]]:
    roster = demo_rows("學生名冊.csv")
    h = roster[0]
    y, s, d, no = (h.index(c) for c in ("學年度", "學期", "部別", "學號"))
    by_term = {(r[y], r[s], r[no]): r[d] for r in roster[1:]}
    latest: dict[tuple[str, str], tuple[str, str]] = {}
    for r in roster[1:]:
        if (r[y], r[no]) not in latest or r[s] > latest[(r[y], r[no])][0]:
            latest[(r[y], r[no])] = (r[s], r[d])
    return by_term, {k: v[1] for k, v in latest.items()}


def night_bundle(change: bool = True) -> list[tuple[str, bytes]]:
    """進修部's own export of 114-2 (per-year kinds: of 114) for every kind with a scope, built from
    the demo bundle; with `change`, every third row left out, so the import changes something."""
    by_term, by_year = _divisions()
    files = []
    for kind in KINDS:
        if kind.division_from == "none":
            continue
        rows = demo_rows(f"{kind.label}.csv")
        h = rows[0]

        def keep(r: list[str], kind: Any = kind, h: list[str] = h) -> bool:
            cell = dict(zip(h, r, strict=False))
            if cell["學年度"] != str(YEAR):
                return False
            term = cell.get("學期", "")
            if kind.scope == "year_semester" and term not in (str(TERM), "0"):
                return False
            if kind.division_from == "column":
                return cell["部別"] == NIGHT
            if kind.scope == "year" or term == "0":
                return by_year.get((cell["學年度"], cell["學號"])) == NIGHT
            return by_term.get((cell["學年度"], term, cell["學號"])) == NIGHT

        mine = [r for r in rows[1:] if keep(r)]
        if change:
            mine = [r for i, r in enumerate(mine) if i % 3]
        if not mine:
            continue
        buf = io.StringIO()
        csv.writer(buf).writerows([h, *mine])
        files.append((f"進修部{kind.label}.csv", buf.getvalue().encode("utf-8")))
    return files
