"""Files into sheets of strings: encodings, mixed encodings, Excel cells, zips and folders."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest

from dashboard.ingest.decoding import ReadError, cell_text, decode_text, read_csv
from dashboard.ingest.readers import ReadLimits, read_file, read_paths, read_uploads
from tests.import_fixture import csv_bytes, xls_bytes, xlsx_bytes, zip_bytes

ROWS = [["學號", "姓名"], ["1130001", "林堃喆"], ["1130002", "陳峯"], ["1130003", "王小明"]]
PLAIN = [["學號", "姓名"], ["1130001", "王小明"], ["1130002", "陳美玲"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "big5hkscs", "utf-16"])
def test_each_encoding_decodes_to_the_same_text(encoding: str) -> None:
    assert read_csv(decode_text(csv_bytes(ROWS, encoding))) == ROWS


def test_cp950_file() -> None:
    data = csv_bytes(PLAIN, "cp950")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_csv(decode_text(data)) == PLAIN


def test_hkscs_names_are_not_in_cp950() -> None:
    with pytest.raises(UnicodeEncodeError):
        "林堃喆".encode("cp950")
    assert read_csv(decode_text(csv_bytes(ROWS, "big5hkscs")))[1][1] == "林堃喆"


def test_a_file_mixing_utf8_and_big5_is_refused_with_line_numbers() -> None:
    utf8 = csv_bytes(PLAIN, "utf-8")
    big5 = csv_bytes([["1130003", "林堃喆"], ["1130004", "陳峯"]], "big5hkscs")
    with pytest.raises(ReadError) as caught:
        decode_text(utf8 + big5)
    assert str(caught.value) == (
        "檔案混用了兩種編碼：第 1、2、3 列是 UTF-8，第 4、5 列不是；請從系統重新匯出，或以同一種編碼另存"
    )


def test_an_undecodable_file_names_its_lines() -> None:
    data = b"a,b\r\n1,2\r\n\x80\x80\xff,3\r\n"
    with pytest.raises(ReadError, match=r"無法判讀檔案編碼.*第 3 列無法解碼"):
        decode_text(data)


def test_blank_lines_keep_row_numbers_and_quoted_newlines_stay_in_one_record() -> None:
    text = 'a,b\r\n\r\n1,"x\r\ny"\r\n2,z\r\n'
    assert read_csv(text) == [["a", "b"], [], ["1", "x\r\ny"], ["2", "z"]]


def test_tab_separated_text() -> None:
    assert read_csv("學號\t姓名\n1130001\t王小明\n") == [["學號", "姓名"], ["1130001", "王小明"]]


def test_excel_cells_become_text_the_normaliser_reads() -> None:
    assert cell_text(113.0) == "113"
    assert cell_text(3.5) == "3.5"
    assert cell_text(1131120) == "1131120"
    assert cell_text(True) == "TRUE"
    assert cell_text(None) == ""
    assert cell_text(date(2024, 11, 20)) == "2024-11-20"
    assert cell_text(datetime(2024, 11, 20)) == "2024-11-20"
    assert cell_text(datetime(2024, 11, 20, 15, 15, 6, 999_600)) == "2024-11-20 15:15:07"
    assert cell_text(time(8, 30)) == "08:30:00"


SHEET = [
    ["113學年度第1學期 課程學習成果"],
    [],
    ["學年度", "上傳時間", "學號", "座號"],
    [113, datetime(2024, 11, 20, 15, 15, 7), "0113001", 7],
    [113, datetime(2024, 11, 21), "0113002", ""],
]
EXPECTED = [
    ["113學年度第1學期 課程學習成果", "", "", ""],
    ["", "", "", ""],
    ["學年度", "上傳時間", "學號", "座號"],
    ["113", "2024-11-20 15:15:07", "0113001", "7"],
    ["113", "2024-11-21", "0113002", ""],
]


def test_xlsx_every_sheet_from_cell_a1() -> None:
    src = read_file("x.xlsx", xlsx_bytes({"成果": SHEET, "說明": [["備註"]]}), None)
    assert src.errors == []
    assert [s.name for s in src.sheets] == ["成果", "說明"]
    assert src.sheets[0].rows == EXPECTED
    assert src.sheets[1].rows == [["備註"]]


def test_xls() -> None:
    src = read_file("x.xls", xls_bytes({"成果": SHEET}), None)
    assert src.errors == []
    assert src.sheets[0].rows == EXPECTED


def test_an_html_file_named_xls_is_explained() -> None:
    src = read_file("匯出.xls", b"<html><table><tr><td>1</td></tr></table></html>", None)
    assert src.sheets == []
    assert src.errors == [
        "這個檔案其實是網頁（HTML）格式，不是 Excel 檔；請用 Excel 開啟後另存為 .xlsx 或 CSV"
    ]


def test_a_damaged_excel_file() -> None:
    src = read_file("壞.xlsx", b"PK\x03\x04garbage", None)
    assert src.errors == ["無法讀取 Excel 檔案（檔案可能損毀或有密碼保護）"]


def test_an_unsupported_file_given_by_name() -> None:
    src = read_file("說明.pdf", b"%PDF", None)
    assert src.errors == ["不支援的檔案類型：只能匯入 .csv、.xlsx、.xls 或包含它們的 .zip"]


def test_zip_members_are_read_in_memory_with_their_times(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(
        zip_bytes(
            {
                "匯出/學生名冊.csv": csv_bytes(PLAIN, "cp950"),
                "匯出/成果.xlsx": xlsx_bytes({"S": [["a"], ["b"]]}),
                "__MACOSX/匯出/._學生名冊.csv": b"\x00\x05junk",
                "匯出/~$成果.xlsx": b"lock",
                "匯出/讀我.txt": b"notes",
            }
        )
    )
    before = sorted(p.name for p in tmp_path.iterdir())
    files = read_paths([bundle])
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing extracted
    assert [f.name for f in files] == ["bundle.zip/匯出/學生名冊.csv", "bundle.zip/匯出/成果.xlsx"]
    assert files[0].sheets[0].rows == PLAIN
    assert files[0].modified_at == datetime(2025, 3, 4, 5, 6, 8)
    assert files[1].sheets[0].rows == [["a"], ["b"]]


@pytest.mark.parametrize(
    "member",
    ["../evil.csv", "/etc/evil.csv", "C:/evil.csv", "a/../../evil.csv", "..\\evil.csv", "\\evil.csv"],
)
def test_a_member_escaping_its_folder_is_an_error_naming_it(member: str) -> None:
    files = read_uploads([("b.zip", zip_bytes({"ok.csv": csv_bytes(PLAIN), member: csv_bytes(PLAIN)}))])
    bad = [f for f in files if f.errors]
    assert len(bad) == 1
    assert bad[0].name == f"b.zip/{member}"
    assert bad[0].errors == [f"壓縮檔中的「{member}」路徑指向資料夾之外（絕對路徑、「..」或磁碟代號）"]
    assert bad[0].sheets == []


def test_windows_zip_names_in_cp950_are_decoded() -> None:
    placeholder = "XXXXXXXX.csv"
    data = zip_bytes({placeholder: csv_bytes(PLAIN)})
    data = data.replace(b"XXXXXXXX", "學生名冊".encode("cp950"))  # same length: 8 bytes
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert not zf.infolist()[0].flag_bits & 0x800
    (src,) = read_uploads([("b.zip", data)])
    assert src.name == "b.zip/學生名冊.csv"
    assert src.errors == []


def test_a_zip_bomb_is_refused() -> None:
    data = zip_bytes({"big.csv": b"a,b\n" + b"0" * 2_000_000})
    assert len(data) < 20_000
    (src,) = read_uploads([("bomb.zip", data)], ReadLimits(max_bundle_bytes=1_000_000))
    assert src.errors == [
        "壓縮檔「bomb.zip」解開後有 1.9 MB，超過一次匯入的上限 1.0 MB；疑似惡意壓縮檔或內容過多，已拒絕"
    ]


def test_a_nested_zip_and_a_broken_zip() -> None:
    nested = read_uploads([("b.zip", zip_bytes({"inner.zip": zip_bytes({"a.csv": b"x"})}))])
    assert [(f.name, f.errors) for f in nested] == [
        ("b.zip/inner.zip", ["壓縮檔裡的壓縮檔不會被讀取；請先解壓縮，再放進同一個資料夾或壓縮檔"])
    ]
    broken = read_uploads([("b.zip", b"PK\x03\x04 not really")])
    assert [(f.name, f.errors) for f in broken] == [("b.zip", ["不是有效的 .zip 壓縮檔（檔案可能損毀）"])]


def test_a_folder_is_read_recursively_skipping_junk(tmp_path: Path) -> None:
    root = tmp_path / "匯出"
    (root / "日間部").mkdir(parents=True)
    (root / "學生名冊.csv").write_bytes(csv_bytes(PLAIN))
    (root / "日間部" / "成果.csv").write_bytes(csv_bytes(PLAIN, "utf-8-sig"))
    (root / ".DS_Store").write_bytes(b"\x00")
    (root / "~$成果.xlsx").write_bytes(b"lock")
    (root / "讀我.txt").write_text("notes")
    os.utime(root / "學生名冊.csv", (1_732_086_900, 1_732_086_900))  # 2024-11-20 07:15 UTC
    files = read_paths([root])
    assert [f.name for f in files] == ["匯出/學生名冊.csv", "匯出/日間部/成果.csv"]
    assert files[0].modified_at == datetime(2024, 11, 20, 15, 15)  # Taipei local time
    assert files[1].sheets[0].rows == PLAIN


def test_a_missing_path() -> None:
    (src,) = read_paths([Path("/nonexistent/學生名冊.csv")])
    assert src.errors == ["找不到檔案或資料夾「/nonexistent/學生名冊.csv」"]
