"""Files built to exhaust memory are refused before any reader allocates: real files, made here.

Each hostile workbook below is one an unguarded python_calamine would read into gigabytes (the
far-corner cell was 549 GB and aborted the server). The reader is replaced by a tripwire where a
test says the file must never reach it; the limits that apply are readers.ReadLimits.
"""

from __future__ import annotations

import csv
import io
import struct
import tomllib
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import xlsxwriter
import xlwt

from dashboard.ingest import importer, readers, xls_guard
from dashboard.ingest.readers import MIB, ReadLimits, read_paths, read_uploads
from tests.cli_helpers import run_cli
from tests.import_fixture import csv_bytes, dump, zip_bytes
from tests.school_fixture import rule

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["學號", "姓名"]
FAR_CORNER = (
    "工作表「學生名冊」的儲存格範圍到 XFD1048576（1,048,576 列 × 16,384 欄），"
    "超過可匯入的上限（最多 200 欄、20,000,000 格）；"
    "請另存為只含資料範圍的檔案（刪除資料以外的列與欄，或把資料複製到新的活頁簿）"
)
SMALLER = "請只匯出需要的學年度、學期，或分成幾個較小的檔案"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def far_corner_xlsx() -> bytes:
    """A header row and one value in XFD1048576: about 5 KB."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("學生名冊")
    sheet.write_row(0, 0, HEADER)
    sheet.write(1_048_575, 16_383, "x")
    book.close()
    return buf.getvalue()


def with_parts(parts: dict[str, bytes]) -> bytes:
    """A real one-sheet .xlsx (xlsxwriter) with some of its parts replaced."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.add_worksheet("S").write(0, 0, "學號")
    book.close()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src:
        original = {i.filename: src.read(i) for i in src.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in {**original, **parts}.items():
            zf.writestr(name, data)
    return out.getvalue()


def sheet_xml(rows: str, before: str = "") -> bytes:
    head = f'<?xml version="1.0"?><worksheet xmlns="{MAIN_NS}">{before}'
    return f"{head}<sheetData>{rows}</sheetData></worksheet>".encode()


def xls(cells: dict[tuple[int, int], object], name: str = "S") -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(name)
    for (r, c), value in cells.items():
        sheet.write(r, c, value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.fixture
def tripwire(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail the test if a file reaches the Excel reader (checked after the test: read_excel turns
    whatever the reader raises into a ReadError, so raising here alone would not show)."""
    calls: list[object] = []

    class Never:
        @staticmethod
        def from_filelike(source: object) -> None:
            calls.append(source)
            raise RuntimeError("tripwire")

    monkeypatch.setattr(readers, "CalamineWorkbook", Never)
    yield
    assert not calls, "a refused file reached python_calamine"


def errors(files: list[tuple[str, bytes]], limits: ReadLimits | None = None) -> list[str]:
    return [e for src in read_uploads(files, limits or ReadLimits()) for e in src.errors]


def test_the_far_corner_cell_is_refused_before_the_reader_sees_it(tripwire: None) -> None:
    data = far_corner_xlsx()
    assert len(data) < 10_000
    (src,) = read_uploads([("學生名冊.xlsx", data)])
    assert src.errors == [FAR_CORNER]
    assert src.sheets == []


def test_the_far_corner_file_leaves_the_database_unchanged(
    demo_con: duckdb.DuckDBPyConnection, tripwire: None
) -> None:
    before = dump(demo_con)
    tables, report = importer.validate_files(
        demo_con, [("學生名冊.xlsx", far_corner_xlsx())], imported_by="t"
    )
    assert not report.ok and not report.changed and tables == []
    assert [(p.file, p.message) for p in report.problems] == [("學生名冊.xlsx", FAR_CORNER)]
    report = importer.import_files(demo_con, [("學生名冊.xlsx", far_corner_xlsx())], imported_by="t")
    assert not report.ok and not report.changed
    assert dump(demo_con) == before


def test_the_command_line_refuses_it_with_exit_1_and_no_traceback(tmp_path: Path, db_file: Path) -> None:
    bad = tmp_path / "學生名冊.xlsx"
    bad.write_bytes(far_corner_xlsx())
    # The child caps its own address space: were the scan ever bypassed, it would abort alone.
    start = (
        "import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30)); "
        "sys.argv = ['dashboard', *sys.argv[1:]]; runpy.run_module('dashboard', run_name='__main__')"
    )
    out = run_cli("import", str(bad), "--db", str(db_file), start=("-c", start))
    assert out.returncode == 1, out.stderr
    assert f"- 學生名冊.xlsx：{FAR_CORNER}" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("label", "xml"),
    [
        (
            "dimension",
            sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', '<dimension ref="A1:XFD1048576"/>'),
        ),
        ("lower-case ref", sheet_xml('<row r="1048576"><c r="xfd1048576"><v>1</v></c></row>')),
        (
            "prefixed",
            f'<x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData><x:row r="1048576">'
            '<x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>'.encode(),
        ),
        # no refs at all: calamine counts rows and cells on, as this scan does
        ("counted on", sheet_xml("<row/>" * 1_048_575 + "<row>" + "<c/>" * 16_383 + "<c><v>1</v></c></row>")),
    ],
)
def test_a_far_cell_is_found_however_the_sheet_places_it(label: str, xml: bytes, tripwire: None) -> None:
    data = with_parts({"xl/worksheets/sheet1.xml": xml})
    assert len(data) < 200_000, label
    (message,) = errors([("a.xlsx", data)])
    assert message.startswith(
        "工作表「S」的儲存格範圍到 XFD1048576（1,048,576 列 × 16,384 欄），超過可匯入的上限"
    )


def test_a_shared_string_copied_into_many_cells_is_refused(tripwire: None) -> None:
    """300 cells using one 1 MB string: 7 KB of file, 300 MB in the reader and as much again in
    Python. An <si> without text comes first: calamine does not number it, nor does the scan."""
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c></row>' for n in range(1, 301))
    strings = f'<sst xmlns="{MAIN_NS}"><si></si><si><t>{"x" * MIB}</t></si></sst>'.encode()
    data = with_parts({"xl/worksheets/sheet1.xml": sheet_xml(rows), "xl/sharedStrings.xml": strings})
    assert len(data) < 20_000
    assert errors([("a.xlsx", data)]) == [
        "這個活頁簿的儲存格文字讀入後約 300.0 MB（同一段文字被大量儲存格重複使用），"
        "超過可匯入的上限 256.0 MB；請另存為 CSV，或從系統重新匯出"
    ]


def test_a_sheet_calamine_would_still_parse_behind_junk_is_refused(tripwire: None) -> None:
    hidden = b"junk" + sheet_xml('<row r="1"><c r="XFD1048576"><v>1</v></c></row>')
    assert errors([("a.xlsx", with_parts({"xl/worksheets/sheet1.xml": hidden}))]) == [
        "無法讀取 Excel 檔案（檔案可能損毀或有密碼保護）"
    ]


def test_an_xlsx_that_would_fall_back_to_another_reader_is_refused(tripwire: None) -> None:
    (message,) = errors([("a.xlsx", with_parts({"content.xml": b"<office:document-content/>"}))])
    assert message.startswith("這個檔案不是 .xlsx 格式")


def test_cells_over_a_smaller_limit_name_the_sheet_and_its_size() -> None:
    wide = {(0, c): f"欄{c}" for c in range(30)}
    data = xls({**wide, (99, 0): 1}, name="寬表")
    assert errors([("a.xls", data)], ReadLimits(max_cells=2_000)) == [
        "工作表「寬表」的儲存格範圍到 AD100（100 列 × 30 欄），超過可匯入的上限（最多 200 欄、2,000 格）；"
        "請另存為只含資料範圍的檔案（刪除資料以外的列與欄，或把資料複製到新的活頁簿）"
    ]
    assert errors([("a.xls", data)], ReadLimits(max_cells=3_000)) == []


def test_an_xls_wider_than_the_column_limit_is_refused(tripwire: None) -> None:
    (message,) = errors([("a.xls", xls({(0, 0): "學號", (10, 255): 1}, name="寬"))])
    assert message.startswith("工作表「寬」的儲存格範圍到 IV11（11 列 × 256 欄），超過可匯入的上限")


def test_an_xls_dimensions_record_asking_for_billions_of_cells_is_refused(tripwire: None) -> None:
    """calamine reserves the cells DIMENSIONS declares: 60,000 x 20,000 aborted the process."""
    data = bytearray(xls({(0, 0): "學號"}))
    at = data.find(b"\x00\x02\x0e\x00")  # record 0x0200, 14 bytes
    data[at + 4 : at + 18] = struct.pack("<IIHHH", 0, 60_000, 0, 20_000, 0)
    (message,) = errors([("a.xls", bytes(data))])
    assert message.startswith(
        "工作表「S」的儲存格範圍到 ACOF60000（60,000 列 × 20,000 欄），超過可匯入的上限"
    )


def looping(data: bytes) -> bytes:
    """The .xls with its Workbook stream's last sector chained back to its first."""
    out = bytearray(data)
    size = 1 << struct.unpack_from("<H", out, 30)[0]
    fat_at = (struct.unpack_from("<I", out, 76)[0] + 1) * size  # the first FAT sector
    directory = (struct.unpack_from("<I", out, 48)[0] + 1) * size
    entry = next(
        directory + 128 * n
        for n in range(size // 128)
        if out[directory + 128 * n : directory + 128 * n + 16] == "Workbook".encode("utf-16-le")
    )
    start, length = struct.unpack_from("<II", out, entry + 116)
    assert length >= 4096  # in the regular sectors, not the mini stream
    last = start
    while (following := struct.unpack_from("<I", out, fat_at + 4 * last)[0]) != 0xFFFFFFFE:
        last = following
    struct.pack_into("<I", out, fat_at + 4 * last, start)
    return bytes(out)


def test_an_xls_whose_sector_chain_loops_is_refused(tripwire: None) -> None:
    data = xls({(r, 0): f"學生{r}" for r in range(400)})
    xls_guard.check_xls(data, ReadLimits())  # the same file, intact, passes the scan
    assert errors([("a.xls", looping(data))]) == ["無法讀取 Excel 檔案（檔案可能損毀或有密碼保護）"]


def test_an_xls_sharing_one_long_string_across_many_cells_is_refused(tripwire: None) -> None:
    data = xls({(r, 0): "字" * 1_000 for r in range(200)})
    (message,) = errors([("a.xls", data)], ReadLimits(max_text_bytes=MIB // 2))
    assert message.startswith("這個活頁簿的儲存格文字讀入後約 0.6 MB（同一段文字被大量儲存格重複使用）")


def test_a_file_over_the_file_limit_is_refused_unread_and_the_others_read(tmp_path: Path) -> None:
    big = csv_bytes([HEADER] + [["1130001", "王小明"]] * 80_000)
    small = csv_bytes([HEADER, ["1130001", "王小明"]])
    assert MIB < len(big) < 2 * MIB
    limits = ReadLimits(max_file_bytes=MIB, max_bundle_bytes=MIB)  # the big one alone is over both
    size = readers.mb(len(big))
    uploaded = read_uploads([("學生名冊.csv", big), ("成果.csv", small)], limits)
    assert [(f.name, f.errors, len(f.sheets)) for f in uploaded] == [
        ("學生名冊.csv", [f"檔案「學生名冊.csv」有 {size}，超過每個匯入檔的上限 1.0 MB；{SMALLER}"], 0),
        ("成果.csv", [], 1),
    ]
    folder = tmp_path / "匯出"
    folder.mkdir()
    (folder / "學生名冊.csv").write_bytes(big)
    (folder / "成果.csv").write_bytes(small)
    found = read_paths([folder], limits)
    refused = f"檔案「匯出/學生名冊.csv」有 {size}，超過每個匯入檔的上限 1.0 MB；{SMALLER}"
    assert [(f.name, f.errors, len(f.sheets)) for f in found] == [  # in code point order
        ("匯出/學生名冊.csv", [refused], 0),
        ("匯出/成果.csv", [], 1),
    ]


def test_a_bundle_over_the_bundle_limit_is_refused_whole(tmp_path: Path) -> None:
    part = csv_bytes([HEADER] + [["1130001", "王小明"]] * 40_000)  # ~0.7 MB
    limits = ReadLimits(max_file_bytes=MIB, max_bundle_bytes=MIB)
    total = readers.mb(2 * len(part))
    expected = [f"這次匯入的 2 個檔案合計 {total}，超過一次匯入的上限 1.0 MB；請分批匯入"]
    assert errors([("a.csv", part), ("b.csv", part)], limits) == expected
    folder = tmp_path / "匯出"
    folder.mkdir()
    (folder / "a.csv").write_bytes(part)
    (folder / "b.csv").write_bytes(part)
    assert [e for src in read_paths([folder], limits) for e in src.errors] == expected


def read_bundle_traced(data: bytes) -> tuple[readers.SourceFile, int]:
    """The upload bundle.zip of `data` read with a 1 MiB limit a file, and the peak of the memory
    traced while it was read."""
    tracemalloc.start()
    try:
        (src,) = read_uploads([("bundle.zip", data)], ReadLimits(max_file_bytes=MIB))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return src, peak


def test_a_zip_bomb_member_is_refused_by_its_declared_size_without_reading_it() -> None:
    data = zip_bytes({"成果.csv": b"0" * (5 * MIB)})
    assert len(data) < 20_000
    src, peak = read_bundle_traced(data)
    assert src.errors == [f"壓縮檔中的「成果.csv」解開後有 5.0 MB，超過每個匯入檔的上限 1.0 MB；{SMALLER}"]
    assert peak < MIB  # the 5 MB were never unpacked


def understating(data: bytes, size: int) -> bytes:
    """A one-member zip whose headers, local and central, claim the member unpacks to `size`."""
    out = bytearray(data)
    for start, offset in ((out.find(b"PK\x03\x04"), 22), (out.find(b"PK\x01\x02"), 24)):
        assert start >= 0
        out[start + offset : start + offset + 4] = struct.pack("<I", size)
    return bytes(out)


def test_a_zip_header_understating_a_member_cannot_make_it_read_larger() -> None:
    data = understating(zip_bytes({"成果.csv": b"0" * (5 * MIB)}), 1_000)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.infolist()[0].file_size == 1_000
    src, peak = read_bundle_traced(data)
    assert src.errors == ["無法從壓縮檔讀出此檔（可能有密碼保護或已損毀）"]  # the checksum fails
    assert peak < MIB


def test_an_xlsx_part_whose_header_understates_it_is_refused(tripwire: None) -> None:
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 20_000))
    data = zip_bytes({"xl/worksheets/sheet1.xml": sheet_xml(rows)})
    data = understating(data, 100)
    assert errors([("a.xlsx", data)]) == ["無法讀取 Excel 檔案（檔案可能損毀或有密碼保護）"]


def test_a_csv_field_over_the_csv_limit_names_the_line_its_record_starts_on() -> None:
    text = '學號,姓名\r\n1130001,王小明\r\n1130002,"陳美玲\r\n' + "後面都被當成同一欄\r\n" * 20_000
    (message,) = errors([("學生名冊.csv", text.encode())])
    assert message == (
        f"從第 3 列開始的資料有一個欄位超過 {csv.field_size_limit():,} 個字元，"
        '多半是該列有個引號（"）沒有成對，之後的內容都被當成同一欄；請檢查該列，或從系統重新匯出'
    )


def test_the_upload_form_and_the_importer_agree_on_the_limits(con: duckdb.DuckDBPyConnection) -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * MIB == ReadLimits().max_bundle_bytes
    assert importer.read_limits(con) == ReadLimits()  # the rules as the migrations seed them


def test_the_rules_in_force_set_the_limits(con: duckdb.DuckDBPyConnection) -> None:
    rule(con, "import_max_file_mb", 1, 109)
    rule(con, "import_max_bundle_mb", 500, 9_999)  # not in force yet
    limits = importer.read_limits(con)
    assert (limits.max_file_bytes, limits.max_bundle_bytes) == (MIB, 200 * MIB)
    data = csv_bytes([HEADER] + [["1130001", "王小明"]] * 80_000)
    _, report = importer.validate_files(con, [("學生名冊.csv", data)], imported_by="t")
    assert [p.message for p in report.problems] == [
        f"檔案「學生名冊.csv」有 {readers.mb(len(data))}，超過每個匯入檔的上限 1.0 MB；{SMALLER}"
    ]
