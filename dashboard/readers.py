"""Turning a bundle (folders, a .zip, single files) into sheets of strings.

A CSV's encoding is decided here (UTF-8, UTF-8 with BOM, UTF-16 with BOM, cp950, Big5-HKSCS) and
a file mixing two encodings is refused with its line numbers; Excel cells become strings the
normaliser understands. Row i of a sheet is row i + 1 as the user sees it in Excel or a text
editor. Zip members are read in memory, never extracted; a member escaping its folder, and an
archive unpacking to more than MAX_BUNDLE_BYTES, are refused. This module does not interpret
cells (normalize.py does) nor recognise kinds (validate.py does), and it writes nothing.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from python_calamine import CalamineWorkbook, SheetTypeEnum

MAX_BUNDLE_BYTES = 512 * 1024 * 1024  # a zip bomb stops here; a real bundle is ~30 MB
MAX_MEMBERS = 10_000
TEXT_SUFFIXES = (".csv",)
EXCEL_SUFFIXES = (".xlsx", ".xls", ".xlsm")
TAIPEI = timezone(timedelta(hours=8))  # no daylight saving since 1979
_LOCK_OR_JUNK = re.compile(r"(^|/)(__MACOSX/|\.|~\$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)
_ESCAPE = re.compile(r"^([/\\]|[A-Za-z]:)|(^|[/\\])\.\.([/\\]|$)")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LINES_SHOWN = 8


@dataclass
class Sheet:
    name: str | None  # None for a CSV
    rows: list[list[str]]  # rows[i] is row i + 1 as the user sees it


@dataclass
class SourceFile:
    name: str  # as shown to the user: "bundle.zip/學生名冊.csv", "匯出/教職員名冊.xlsx"
    sha256: str = ""
    modified_at: datetime | None = None  # the file's or the zip member's time, Taipei local
    sheets: list[Sheet] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # why it could not be read, in Chinese


class ReadError(Exception):
    """A file that cannot be turned into rows; str() is the message for the clerk."""


def read_paths(paths: Sequence[Path]) -> list[SourceFile]:
    """Every data file under the given folders, zips and files, in a stable order."""
    out: list[SourceFile] = []
    for path in paths:
        if path.is_dir():
            for f in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = f.relative_to(path).as_posix()
                if _LOCK_OR_JUNK.search(rel) or not _is_data_or_zip(rel):
                    continue
                shown = f"{path.name}/{rel}"
                out.extend(_guarded(shown, _read_path, f, shown))
        elif path.is_file():
            out.extend(_guarded(path.name, _read_path, path, path.name))
        else:
            out.append(SourceFile(path.name or str(path), errors=[f"找不到檔案或資料夾「{path}」"]))
    return out


def read_uploads(files: Sequence[tuple[str, bytes]]) -> list[SourceFile]:
    """Uploaded files (name, content); a name ending .zip is a bundle. No file time is known."""
    out: list[SourceFile] = []
    for name, data in files:
        if name.lower().endswith(".zip"):
            out.extend(_guarded(name, read_zip, name, data))
        else:
            out.extend(_guarded(name, _read_one, name, data))
    return out


def _read_one(name: str, data: bytes) -> list[SourceFile]:
    return [read_file(name, data, None)]


def _guarded(name: str, read: Callable[..., list[SourceFile]], *args: object) -> list[SourceFile]:
    """The last net under every reader: whatever a hostile file makes a library raise becomes
    a problem in the report, never an exception that reaches the page (found by fuzzing)."""
    try:
        return read(*args)
    except Exception:
        return [SourceFile(name, errors=["無法讀取這個檔案（檔案可能損毀，或不是它的副檔名所說的格式）"])]


def _read_path(path: Path, shown: str) -> list[SourceFile]:
    mtime = datetime.fromtimestamp(path.stat().st_mtime, TAIPEI).replace(tzinfo=None)
    data = path.read_bytes()
    if path.suffix.lower() == ".zip":
        return read_zip(shown, data, mtime)
    return [read_file(shown, data, mtime)]


def _is_data_or_zip(name: str) -> bool:
    return name.lower().endswith((*TEXT_SUFFIXES, *EXCEL_SUFFIXES, ".zip"))


def read_file(name: str, data: bytes, modified_at: datetime | None) -> SourceFile:
    """One CSV or Excel file, dispatched on its content's signature before its suffix."""
    src = SourceFile(name, hashlib.sha256(data).hexdigest(), modified_at)
    if not name.lower().endswith((*TEXT_SUFFIXES, *EXCEL_SUFFIXES)):
        src.errors.append("不支援的檔案類型：只能匯入 .csv、.xlsx、.xls 或包含它們的 .zip")
        return src
    try:
        if data.startswith((b"PK\x03\x04", _OLE_MAGIC)):
            src.sheets = read_excel(data)
        elif name.lower().endswith(EXCEL_SUFFIXES) and data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise ReadError(
                "這個檔案其實是網頁（HTML）格式，不是 Excel 檔；請用 Excel 開啟後另存為 .xlsx 或 CSV"
            )
        else:
            src.sheets = [Sheet(None, read_csv(decode_text(data)))]
    except ReadError as exc:
        src.errors.append(str(exc))
    return src


def read_zip(name: str, data: bytes, modified_at: datetime | None = None) -> list[SourceFile]:
    """The data files inside a zip, read in memory; junk (__MACOSX, ~$ lock files) is skipped."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # BadZipFile, and for damaged headers also ValueError, OSError, EOFError …
        return [SourceFile(name, errors=["不是有效的 .zip 壓縮檔（檔案可能損毀）"])]
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            return [SourceFile(name, errors=[f"壓縮檔內的檔案超過 {MAX_MEMBERS} 個，不像是匯出資料"])]
        too_big = [SourceFile(name, errors=["壓縮檔解開後超過大小上限，疑似惡意壓縮檔，已拒絕"])]
        if sum(i.file_size for i in infos) > MAX_BUNDLE_BYTES:
            return too_big
        out: list[SourceFile] = []
        budget = MAX_BUNDLE_BYTES
        for info in infos:
            member = _member_name(info)
            shown = f"{name}/{member}"
            if _ESCAPE.search(member):
                out.append(
                    SourceFile(
                        shown,
                        errors=[f"壓縮檔中的「{member}」路徑指向資料夾之外（絕對路徑、「..」或磁碟代號）"],
                    )
                )
                continue
            if _LOCK_OR_JUNK.search(member) or not _is_data_or_zip(member):
                continue
            if member.lower().endswith(".zip"):
                out.append(
                    SourceFile(
                        shown, errors=["壓縮檔裡的壓縮檔不會被讀取；請先解壓縮，再放進同一個資料夾或壓縮檔"]
                    )
                )
                continue
            try:
                with archive.open(info) as fh:
                    content = fh.read(budget + 1)
            except Exception:  # a damaged archive fails in many ways: bad CRC, bad name bytes, zlib errors
                out.append(SourceFile(shown, errors=["無法從壓縮檔讀出此檔（可能有密碼保護或已損毀）"]))
                continue
            budget -= len(content)
            if budget < 0:
                return too_big
            stamp = datetime(*info.date_time) if info.date_time[0] > 1980 else modified_at
            out.append(read_file(shown, content, stamp))
        return out


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name; Windows zips store CJK names in cp950 without saying so."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "cp950", "big5hkscs"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


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
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ReadError(f"CSV 格式錯誤（{exc}）；檔案可能不是文字檔") from exc


def read_excel(data: bytes) -> list[Sheet]:
    """Every worksheet of an .xlsx/.xls, from cell A1 so that row numbers match Excel's."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        with book:
            return [
                Sheet(
                    meta.name,
                    [
                        [v if type(v) is str else cell_text(v) for v in row]
                        for row in book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
                    ],
                )
                for meta in book.sheets_metadata
                if meta.typ == SheetTypeEnum.WorkSheet
            ]
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        # calamine raises several unrelated types for damaged files, and a damaged .xls can make
        # its Rust code panic: pyo3's PanicException derives from BaseException, not Exception
        # (found by tests/unit/test_import_fuzz.py).
        raise ReadError("無法讀取 Excel 檔案（檔案可能損毀或有密碼保護）") from exc


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
