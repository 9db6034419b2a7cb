"""Turning a bundle (folders, a .zip, single files) into sheets of strings.

Each file is dispatched on its content's signature before its suffix: a CSV's text is decoded
and split in decoding.py, an Excel file's cells become strings the normaliser understands. Row i
of a sheet is row i + 1 as the user sees it in Excel or a text editor. Zip members are read in
memory, never extracted; a member escaping its folder is refused.
How much one import may read is a ReadLimits (the rules import_max_file_mb and
import_max_bundle_mb, read by importer.py): a file, a zip member or a whole bundle over its limit
is refused before it is read, and an Excel file is scanned first (xlsx_guard.py, xls_guard.py)
so that one whose cells would not fit in memory is refused instead of read. This module does not
interpret cells (normalize.py does) nor recognise kinds (validate.py does), and it writes nothing.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from python_calamine import CalamineWorkbook, SheetTypeEnum

from dashboard.ingest import excel_guard, xls_guard, xlsx_guard
from dashboard.ingest.decoding import ReadError, cell_text, decode_text, read_csv
from dashboard.ingest.excel_guard import mb
from dashboard.school_calendar import TAIPEI

MIB = 1024 * 1024
MAX_MEMBERS = 10_000
TEXT_SUFFIXES = (".csv",)
EXCEL_SUFFIXES = (".xlsx", ".xls", ".xlsm")
_LOCK_OR_JUNK = re.compile(r"(^|/)(__MACOSX/|\.|~\$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)
_ESCAPE = re.compile(r"^([/\\]|[A-Za-z]:)|(^|[/\\])\.\.([/\\]|$)")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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


@dataclass(frozen=True)
class ReadLimits:
    """How much one import may read; a file over a limit is refused before it is read.

    max_file_bytes and max_bundle_bytes are the rules import_max_file_mb and import_max_bundle_mb
    (importer.read_limits); the web form's server.maxUploadSize is the bundle limit. A zip counts
    by what it unpacks to, each member against max_file_bytes.
    """

    max_file_bytes: int = 50 * MIB
    max_bundle_bytes: int = 200 * MIB
    # An Excel reader builds each sheet as one block from A1 to the farthest cell, about 42
    # bytes a cell even when the cells are empty (measured with python_calamine): one stray
    # value in XFD1048576 asks for 17 billion cells, 549 GB, and the failed allocation aborts
    # the server. The largest real export is a few hundred thousand rows by ~20 columns, about
    # 6 million cells; 20 million leaves three times that and costs at most ~850 MB for a
    # moment. It bounds one workbook's sheets together.
    max_cells: int = 20_000_000
    # Real exports have ~20 columns; ten times that is no export of ours.
    max_columns: int = 200
    # An .xlsx is zipped XML, about a tenth of what its parts unpack to; the scan and the
    # reader both stream the sheets, so this bounds the time spent (~3 s per 100 MB), not memory.
    max_unpacked_bytes: int = 1024 * MIB
    # The text the cells hold once read, each use of a shared string counted: a 1 MB string
    # used by 1,000 cells is 1 GB, from a file of a few KB. Real exports hold well under 100 MB.
    max_text_bytes: int = 256 * MIB


def _file_too_big(name: str, size: int, limits: ReadLimits) -> str:
    return (
        f"檔案「{name}」有 {mb(size)}，超過每個匯入檔的上限 {mb(limits.max_file_bytes)}；"
        "請只匯出需要的學年度、學期，或分成幾個較小的檔案"
    )


def _bundle_too_big(count: int, size: int, limits: ReadLimits) -> SourceFile:
    return SourceFile(
        f"這次匯入的 {count} 個檔案",
        errors=[
            f"這次匯入的 {count} 個檔案合計 {mb(size)}，超過一次匯入的上限 {mb(limits.max_bundle_bytes)}；"
            "請分批匯入"
        ],
    )


@dataclass
class _Budget:
    """What is left of max_bundle_bytes for this import; a zip takes what it unpacks to."""

    left: int


def read_paths(paths: Sequence[Path], limits: ReadLimits = ReadLimits()) -> list[SourceFile]:
    """Every data file under the given folders, zips and files, in a stable order.

    Sizes are measured before anything is read: a file over its own limit is refused unread,
    and when the others add up to more than max_bundle_bytes, none is read."""
    plan: list[SourceFile | tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            for f in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = f.relative_to(path).as_posix()
                if _LOCK_OR_JUNK.search(rel) or not _is_data_or_zip(rel):
                    continue
                plan.append((f, f"{path.name}/{rel}"))
        elif path.is_file():
            plan.append((path, path.name))
        else:
            plan.append(SourceFile(path.name or str(path), errors=[f"找不到檔案或資料夾「{path}」"]))
    sized = [
        item if isinstance(item, SourceFile) else (*item, item[0].stat().st_size, item[0].stat().st_mtime)
        for item in plan
    ]
    return _read_sized(sized, limits)


def read_uploads(files: Sequence[tuple[str, bytes]], limits: ReadLimits = ReadLimits()) -> list[SourceFile]:
    """Uploaded files (name, content); a name ending .zip is a bundle. No file time is known.

    A file over its own limit is refused unread; when the others add up to more than
    max_bundle_bytes, none is read."""
    return _read_sized([(data, name, len(data), None) for name, data in files], limits)


_Sized = tuple[Path | bytes, str, int, float | None]  # a file or its content, name, size, mtime


def _read_sized(items: Sequence[SourceFile | _Sized], limits: ReadLimits) -> list[SourceFile]:
    refusals = [None if isinstance(i, SourceFile) else _oversized(i[1], i[2], limits) for i in items]
    wanted = {n for n, i in enumerate(items) if isinstance(i, tuple) and refusals[n] is None}
    total = sum(i[2] for n, i in enumerate(items) if n in wanted and isinstance(i, tuple))
    over = total > limits.max_bundle_bytes
    zips = sum(i[2] for n, i in enumerate(items) if n in wanted and isinstance(i, tuple) and _is_zip(i[1]))
    budget = _Budget(limits.max_bundle_bytes - (total - zips))  # a zip takes what it unpacks to
    out: list[SourceFile] = []
    for n, item in enumerate(items):
        if isinstance(item, SourceFile):
            out.append(item)
            continue
        source, shown, _, stamp = item
        mtime = None if stamp is None else datetime.fromtimestamp(stamp, TAIPEI).replace(tzinfo=None)
        refusal = refusals[n]
        if refusal is not None:
            out.append(SourceFile(shown, modified_at=mtime, errors=[refusal]))
        elif not over:
            out.extend(_guarded(shown, _read_one, source, shown, mtime, limits, budget))
    if over:
        out.append(_bundle_too_big(len(wanted), total, limits))
    return out


def _oversized(name: str, size: int, limits: ReadLimits) -> str | None:
    """Why one file is too large to read on its own (a zip: the whole bundle's limit)."""
    if _is_zip(name):
        return _zip_file_too_big(name, size, limits) if size > limits.max_bundle_bytes else None
    return _file_too_big(name, size, limits) if size > limits.max_file_bytes else None


def _read_one(
    source: Path | bytes, shown: str, mtime: datetime | None, limits: ReadLimits, budget: _Budget
) -> list[SourceFile]:
    if isinstance(source, Path):
        cap = limits.max_bundle_bytes if _is_zip(source.name) else limits.max_file_bytes
        with source.open("rb") as fh:
            data = fh.read(cap + 1)  # bounded: a file that grew since it was measured stops here
        refusal = _oversized(shown, len(data), limits)
        if refusal is not None:
            return [SourceFile(shown, modified_at=mtime, errors=[refusal])]
    else:
        data = source
    if _is_zip(shown):
        return read_zip(shown, data, mtime, limits, budget)
    return [read_file(shown, data, mtime, limits)]


def _guarded(name: str, read: Callable[..., list[SourceFile]], *args: object) -> list[SourceFile]:
    """The last net under every reader: whatever a hostile file makes a library raise becomes
    a problem in the report, never an exception that reaches the page (found by fuzzing)."""
    try:
        return read(*args)
    except Exception:
        return [SourceFile(name, errors=["無法讀取這個檔案（檔案可能損毀，或不是它的副檔名所說的格式）"])]


def _is_zip(name: str) -> bool:
    return name.lower().endswith(".zip")


def _is_data_or_zip(name: str) -> bool:
    return name.lower().endswith((*TEXT_SUFFIXES, *EXCEL_SUFFIXES, ".zip"))


def read_file(
    name: str, data: bytes, modified_at: datetime | None, limits: ReadLimits = ReadLimits()
) -> SourceFile:
    """One CSV or Excel file, dispatched on its content's signature before its suffix."""
    src = SourceFile(name, hashlib.sha256(data).hexdigest(), modified_at)
    if not name.lower().endswith((*TEXT_SUFFIXES, *EXCEL_SUFFIXES)):
        src.errors.append("不支援的檔案類型：只能匯入 .csv、.xlsx、.xls 或包含它們的 .zip")
        return src
    if len(data) > limits.max_file_bytes:
        src.errors.append(_file_too_big(name, len(data), limits))
        return src
    try:
        if data.startswith((b"PK\x03\x04", _OLE_MAGIC)):
            src.sheets = read_excel(data, limits)
        elif name.lower().endswith(EXCEL_SUFFIXES) and data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise ReadError(
                "這個檔案其實是網頁（HTML）格式，不是 Excel 檔；請用 Excel 開啟後另存為 .xlsx 或 CSV"
            )
        else:
            src.sheets = [Sheet(None, read_csv(decode_text(data)))]
    except ReadError as exc:
        src.errors.append(str(exc))
    return src


def read_zip(
    name: str,
    data: bytes,
    modified_at: datetime | None = None,
    limits: ReadLimits = ReadLimits(),
    budget: _Budget | None = None,
) -> list[SourceFile]:
    """The data files inside a zip, read in memory; junk (__MACOSX, ~$ lock files) is skipped.

    What the data members unpack to (their declared sizes) must fit in the bundle budget, and
    each member in max_file_bytes; a member is read with a bounded read, so a header that
    understates its size cannot make it larger."""
    if budget is None:
        budget = _Budget(limits.max_bundle_bytes)
    if len(data) > limits.max_bundle_bytes:
        return [SourceFile(name, errors=[_zip_file_too_big(name, len(data), limits)])]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # BadZipFile, and for damaged headers also ValueError, OSError, EOFError …
        return [SourceFile(name, errors=["不是有效的 .zip 壓縮檔（檔案可能損毀）"])]
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            return [SourceFile(name, errors=[f"壓縮檔內的檔案超過 {MAX_MEMBERS} 個，不像是匯出資料"])]
        unpacked = sum(i.file_size for i in infos if _will_read(_member_name(i)))
        if unpacked > budget.left:
            return [SourceFile(name, errors=[_zip_too_big(name, unpacked, budget, limits)])]
        budget.left -= unpacked
        out: list[SourceFile] = []
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
            if not _will_read(member) and not _is_zip(member):
                continue
            if _is_zip(member):
                out.append(
                    SourceFile(
                        shown, errors=["壓縮檔裡的壓縮檔不會被讀取；請先解壓縮，再放進同一個資料夾或壓縮檔"]
                    )
                )
                continue
            stamp = datetime(*info.date_time) if info.date_time[0] > 1980 else modified_at
            if info.file_size > limits.max_file_bytes:
                out.append(
                    SourceFile(shown, modified_at=stamp, errors=[_member_too_big(member, info, limits)])
                )
                continue
            try:
                with archive.open(info) as fh:
                    # never more than the header declares (checked against the limit above)
                    content = fh.read(info.file_size + 1)
            except Exception:  # a damaged archive fails in many ways: bad CRC, bad name bytes, zlib errors
                out.append(SourceFile(shown, errors=["無法從壓縮檔讀出此檔（可能有密碼保護或已損毀）"]))
                continue
            if len(content) > min(info.file_size, limits.max_file_bytes):
                message = f"壓縮檔中的「{member}」實際內容比壓縮檔標示的大，檔案可能損毀或遭竄改，已拒絕"
                out.append(SourceFile(shown, errors=[message]))
                continue
            out.append(read_file(shown, content, stamp, limits))
        return out


def _will_read(member: str) -> bool:
    """A data file a zip's reader opens (not junk, not a nested zip, which is only reported)."""
    return not _LOCK_OR_JUNK.search(member) and _is_data_or_zip(member) and not _is_zip(member)


def _zip_too_big(name: str, unpacked: int, budget: _Budget, limits: ReadLimits) -> str:
    limit = mb(limits.max_bundle_bytes)
    if unpacked > limits.max_bundle_bytes:
        return (
            f"壓縮檔「{name}」解開後有 {mb(unpacked)}，超過一次匯入的上限 {limit}；"
            "疑似惡意壓縮檔或內容過多，已拒絕"
        )
    total = limits.max_bundle_bytes - budget.left + unpacked
    return (
        f"壓縮檔「{name}」解開後有 {mb(unpacked)}，連同這次的其他檔案共 {mb(total)}，"
        f"超過一次匯入的上限 {limit}；請分批匯入"
    )


def _zip_file_too_big(name: str, size: int, limits: ReadLimits) -> str:
    return f"壓縮檔「{name}」有 {mb(size)}，超過一次匯入的上限 {mb(limits.max_bundle_bytes)}；請分批匯入"


def _member_too_big(member: str, info: zipfile.ZipInfo, limits: ReadLimits) -> str:
    return (
        f"壓縮檔中的「{member}」解開後有 {mb(info.file_size)}，"
        f"超過每個匯入檔的上限 {mb(limits.max_file_bytes)}；請只匯出需要的學年度、學期，或分成幾個較小的檔案"
    )


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


def read_excel(data: bytes, limits: ReadLimits = ReadLimits()) -> list[Sheet]:
    """Every worksheet of an .xlsx/.xls, from cell A1 so that row numbers match Excel's.

    The file is scanned first (xlsx_guard.py, xls_guard.py): the reader is only given a workbook
    whose cells fit in the limits."""
    try:
        (xls_guard.check_xls if data.startswith(_OLE_MAGIC) else xlsx_guard.check_xlsx)(data, limits)
    except excel_guard.Refused as exc:
        raise ReadError(str(exc)) from exc
    except Exception as exc:  # a structure the scan trips over is one the reader is not given
        raise ReadError(excel_guard.DAMAGED) from exc
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
        raise ReadError(excel_guard.DAMAGED) from exc
