"""From bytes and cells to text, for readers.py: a CSV's encoding is decided here (UTF-8, UTF-8
with BOM, UTF-16 with BOM, cp950, Big5-HKSCS) and a file mixing two encodings is refused with
its line numbers (decode_text); the text is split into records, comma- or tab-separated
(read_csv); an Excel cell's value becomes the text the normaliser reads (cell_text). ReadError,
the refusal every reader raises, is defined here too.
"""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date, datetime, time, timedelta

_LINES_SHOWN = 8


class ReadError(Exception):
    """A file that cannot be turned into rows; str() is the message for the clerk."""


def _line_list(numbers: list[int]) -> str:
    shown = "、".join(str(n) for n in numbers[:_LINES_SHOWN])
    return shown + (f" 等 {len(numbers)} 列" if len(numbers) > _LINES_SHOWN else "")


def decode_text(data: bytes) -> str:
    """The text of a CSV in whichever encoding decodes all of it; mixed files are refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError("檔案標示為 UTF-16，但內容無法解碼") from exc
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    utf8_lines: list[int] = []
    other_lines: list[int] = []
    unreadable: list[int] = []
    for number, line in enumerate(body.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_lines.append(number)
            continue
        except UnicodeDecodeError:
            other_lines.append(number)
        if not any(_decodes(line, enc) for enc in ("cp950", "big5hkscs")):
            unreadable.append(number)
    if utf8_lines:
        raise ReadError(
            f"檔案混用了兩種編碼：第 {_line_list(utf8_lines)} 列是 UTF-8，"
            f"第 {_line_list(other_lines)} 列不是；請從系統重新匯出，或以同一種編碼另存"
        )
    for encoding in ("cp950", "big5hkscs"):
        if _decodes(body, encoding):
            return body.decode(encoding)
    bad = unreadable or other_lines
    raise ReadError(f"無法判讀檔案編碼（不是 UTF-8、Big5 或 Big5-HKSCS）：第 {_line_list(bad)} 列無法解碼")


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def read_csv(text: str) -> list[list[str]]:
    """Records of a CSV (or tab-separated) text; a blank line is an empty record."""
    head = [line for line in text.splitlines()[:10] if line.strip()]
    delimiter = "\t" if sum(x.count("\t") for x in head) > sum(x.count(",") for x in head) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    start = 1  # the line the record being read starts on
    try:
        for record in reader:
            records.append(record)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ReadError(
                f"從第 {start} 列開始的資料有一個欄位超過 {csv.field_size_limit():,} 個字元，"
                '多半是該列有個引號（"）沒有成對，之後的內容都被當成同一欄；'
                "請檢查該列，或從系統重新匯出"
            ) from exc
        raise ReadError(f"CSV 格式錯誤（第 {start} 列：{exc}）；檔案可能不是文字檔") from exc
    return records


def cell_text(value: object) -> str:
    """An Excel cell as the text the normaliser reads: 113.0 → '113', dates → ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.microsecond:
            value = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
        if value.time() == time(0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
