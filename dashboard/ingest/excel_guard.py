"""How large an Excel file becomes once read, found out before the reader is given it.

python_calamine builds each sheet as one dense block from A1 to the farthest cell it holds, and
copies a shared string into every cell that uses it: a file of a few kilobytes can ask for
hundreds of gigabytes, and a failed allocation in its Rust code aborts the whole server, every
user's session with it. So readers.read_excel scans the file first, in bounded memory and as
the reader would walk it, and refuses what would exceed the limits with a message for the
clerk: xlsx_guard.py streams an .xlsx's parts through expat, xls_guard.py walks an .xls's
compound file and records. What a scan cannot follow is refused as damaged, since the reader
might follow it differently. This module holds what both share; none of them reads a cell's
value or imports streamlit.
"""

from __future__ import annotations

from typing import Protocol

DAMAGED = "無法讀取 Excel 檔案（檔案可能損毀或有密碼保護）"
MIB = 1024 * 1024


class Limits(Protocol):
    """The part of readers.ReadLimits this module reads."""

    @property
    def max_cells(self) -> int: ...
    @property
    def max_columns(self) -> int: ...
    @property
    def max_unpacked_bytes(self) -> int: ...
    @property
    def max_text_bytes(self) -> int: ...


class Refused(Exception):
    """The workbook would not fit once read, or cannot be scanned; str() is for the clerk."""


def column_name(number: int) -> str:
    """1 -> 'A', 16384 -> 'XFD'."""
    name = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def mb(size: int) -> str:
    """A size as the clerk reads it: 52428800 -> '50.0 MB' (MB of 1,048,576 bytes, as Streamlit's)."""
    return f"{size / MIB:,.1f} MB"


def area_refusal(sheet: str, rows: int, columns: int, limits: Limits) -> Refused:
    return Refused(
        f"工作表「{sheet}」的儲存格範圍到 {column_name(columns)}{rows}（{rows:,} 列 × {columns:,} 欄），"
        f"超過可匯入的上限（最多 {limits.max_columns:,} 欄、{limits.max_cells:,} 格）；"
        "請另存為只含資料範圍的檔案（刪除資料以外的列與欄，或把資料複製到新的活頁簿）"
    )


def total_refusal(cells: int, limits: Limits) -> Refused:
    return Refused(
        f"這個活頁簿各工作表的儲存格範圍合計 {cells:,} 格，超過可匯入的上限 {limits.max_cells:,} 格；"
        "請只保留要匯入的工作表，或分成幾個檔案"
    )


def strings_refusal(count: int, limits: Limits) -> Refused:
    return Refused(
        f"這個活頁簿宣告了 {count:,} 個不同的文字，超過可匯入的上限 {limits.max_cells:,} 個；"
        "請另存為 CSV，或從系統重新匯出"
    )


def text_refusal(size: int, limits: Limits) -> Refused:
    return Refused(
        f"這個活頁簿的儲存格文字讀入後約 {mb(size)}（同一段文字被大量儲存格重複使用），"
        f"超過可匯入的上限 {mb(limits.max_text_bytes)}；請另存為 CSV，或從系統重新匯出"
    )


def check_workbook(cells: int, text: int, limits: Limits) -> None:
    """The totals over every sheet of one workbook, whichever format it came in."""
    if cells > limits.max_cells:
        raise total_refusal(cells, limits)
    if text > limits.max_text_bytes:
        raise text_refusal(text, limits)


class Extent:
    """Cells placed so far in one sheet: how many rows and columns from A1 they span."""

    def __init__(self) -> None:
        self.rows = 0
        self.columns = 0
        self.text = 0  # bytes of shared text the cells copy

    def place(self, row: int, column: int) -> None:  # 0-based
        self.rows = max(self.rows, row + 1)
        self.columns = max(self.columns, column + 1)

    def check(self, sheet: str, limits: Limits) -> None:
        if self.columns > limits.max_columns or self.rows * self.columns > limits.max_cells:
            raise area_refusal(sheet, self.rows, self.columns, limits)
