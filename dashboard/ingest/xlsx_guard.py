"""The .xlsx side of excel_guard: every part of the zip streamed through expat, never held whole.

Cells are placed by the rules calamine places them by: a <dimension ref>, a <row r> sets the
row and a <c r> the cell, otherwise each counts on from the last; a shared string counts at each
use, numbered as calamine numbers them. The parts calamine would still parse as XML although
they are not (junk before a sheet), the xlsb and OpenDocument parts its fallback readers would
take, duplicate part names and parts whose headers understate them are refused.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from array import array
from collections.abc import Callable, Generator, Iterator
from xml.parsers import expat

from dashboard.ingest.excel_guard import (
    DAMAGED,
    MIB,
    Extent,
    Limits,
    Refused,
    check_workbook,
    mb,
    strings_refusal,
    text_refusal,
)

NOT_XLSX = (
    "這個檔案不是 .xlsx 格式（可能是 .xlsb 或 OpenDocument 試算表）；請用 Excel 開啟後另存為 .xlsx 或 CSV"
)
_CHUNK = MIB
_MAX_TOKEN = 16 * MIB  # expat holds a whole tag; no real part has 16 MB between two "<"
_SHEET_ROOTS = ("worksheet", "chartsheet", "dialogsheet", "macrosheet")
_SHARED_STRINGS = "xl/sharedstrings.xml"


def check_xlsx(data: bytes, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise Refused(DAMAGED) from exc
    with archive:
        infos = archive.infolist()
        names = [i.filename.lower() for i in infos]
        if len(set(names)) < len(names):
            raise Refused(DAMAGED)  # two parts of one name: which one a reader takes is anyone's guess
        # calamine tries the xlsb and OpenDocument readers when the xlsx one fails; those parts
        # are not scanned here, so a file carrying them is not handed over at all.
        if {"xl/workbook.bin", "content.xml"} & set(names):
            raise Refused(NOT_XLSX)
        unpacked = sum(i.file_size for i in infos)
        if unpacked > limits.max_unpacked_bytes:
            raise Refused(
                f"這個 Excel 檔解壓縮後有 {mb(unpacked)}，超過可匯入的上限 {mb(limits.max_unpacked_bytes)}；"
                "請分成幾個較小的檔案，或另存為 CSV"
            )
        roots = [_root(archive, i) for i in infos]
        for info, root in zip(infos, roots, strict=True):
            if root is None:
                _drain(archive, info)
        sheet_names = _sheet_names(archive, infos, roots)
        # calamine reads the shared strings from this name whatever its root element is.
        shared = [
            i
            for i, r in zip(infos, roots, strict=True)
            if r == "sst" or i.filename.lower() == _SHARED_STRINGS
        ]
        strings = _shared_strings(archive, shared, limits)
        cells = text = 0
        for info, root in zip(infos, roots, strict=True):
            if root is None or info in shared:
                continue
            if root not in _SHEET_ROOTS and info.file_size > limits.max_text_bytes:
                raise Refused(f"{DAMAGED}：檔案內的「{info.filename}」異常地大")
            sheet = sheet_names.get(info.filename.lower(), info.filename)
            extent = _Cells(strings).scan(_chunks(archive, info))
            extent.check(sheet, limits)
            cells += extent.rows * extent.columns
            text += extent.text
        check_workbook(cells, text, limits)


_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    OSError,
    EOFError,
    ValueError,
)


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Generator[bytes, None, None]:
    """A part's bytes in bounded chunks; never more than its header declares (zipfile stops
    there and a wrong checksum raises), and never a stretch expat would have to hold whole."""
    read = since_lt = 0  # bytes since the last "<"
    try:
        with archive.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                read += len(chunk)
                if read > info.file_size:
                    raise Refused(DAMAGED)
                first = chunk.find(b"<")
                if since_lt + (len(chunk) if first < 0 else first) > _MAX_TOKEN:
                    raise Refused(f"{DAMAGED}：檔案內的「{info.filename}」格式異常")
                since_lt = since_lt + len(chunk) if first < 0 else len(chunk) - 1 - chunk.rfind(b"<")
                yield chunk
    except _ZIP_ERRORS as exc:
        raise Refused(DAMAGED) from exc


def _drain(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read a part that is not XML to its end (sizes and checksum verified): calamine would
    still parse it as XML if it were a sheet or the shared strings, so it must hold none."""
    if info.filename.lower() == _SHARED_STRINGS:
        raise Refused(DAMAGED)
    tail = b""
    for chunk in _chunks(archive, info):
        window = tail + chunk
        if b"sheetData" in window:
            raise Refused(DAMAGED)
        tail = window[-16:]


class _Stop(Exception):
    pass


def _parse(
    chunks: Iterator[bytes],
    start: Callable[[str, dict[str, str]], None],
    setup: Callable[[expat.XMLParserType], None] | None = None,
) -> None:
    """Feed a part to expat; a document type declaration (entities) is refused, never expanded."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start

    def no_doctype(*_: object) -> None:
        raise Refused(DAMAGED)

    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_doctype
    if setup is not None:
        setup(parser)
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise Refused(DAMAGED) from exc


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _root(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """The local name of a part's root element, or None for a part that is not XML."""
    try:
        with archive.open(info) as fh:
            head = fh.read(8)
    except _ZIP_ERRORS as exc:
        raise Refused(DAMAGED) from exc
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused(DAMAGED)  # no Excel part is UTF-16; this scan does not follow one
    if not head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"<"):
        return None
    found: list[str] = []

    def start(name: str, _attrs: dict[str, str]) -> None:
        found.append(_local(name))
        raise _Stop

    chunks = _chunks(archive, info)
    try:
        _parse(chunks, start)
    except _Stop:
        return found[0]
    finally:
        chunks.close()
    return ""  # unreachable: expat refuses a document without an element


def _sheet_names(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], roots: list[str | None]
) -> dict[str, str]:
    """Part name (lower case) -> the sheet's name, for the messages; as calamine resolves it."""
    targets: dict[str, str] = {}
    sheets: list[tuple[str, str]] = []
    for info, root in zip(infos, roots, strict=True):
        lower = info.filename.lower()
        if lower == "xl/_rels/workbook.xml.rels" and root == "Relationships":

            def rel(name: str, attrs: dict[str, str]) -> None:
                if _local(name) == "Relationship" and "Id" in attrs and len(targets) < 10_000:
                    targets[attrs["Id"]] = attrs.get("Target", "")

            _parse(_chunks(archive, info), rel)
        elif lower == "xl/workbook.xml" and root == "workbook":

            def sheet(name: str, attrs: dict[str, str]) -> None:
                if _local(name) == "sheet" and len(sheets) < 10_000:
                    rid = attrs.get("r:id", attrs.get("relationships:id", ""))
                    sheets.append((attrs.get("name", ""), rid))

            _parse(_chunks(archive, info), sheet)
    out: dict[str, str] = {}
    for name, rid in sheets:
        target = targets.get(rid, "")
        path = (
            target[1:]
            if target.startswith("/xl/")
            else target
            if target.startswith("xl/")
            else "xl/" + target
        )
        out.setdefault(path.lower(), name)
    return out


class _Strings:
    """Bytes of each shared string as calamine numbers them: an <si> counts only when it holds
    a <t> outside phonetic runs, or a rich run <r>; calamine skips the others."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.lengths: array[int] = array("Q")
        self.inside = self.counts = False
        self.phonetic = self.size = self.total = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "sst":
            unique = attrs.get("uniqueCount", "0")
            if unique.isdigit() and int(unique) > self.limits.max_cells:
                raise strings_refusal(int(unique), self.limits)  # a reader may reserve that many
        elif local == "si":
            if self.inside:
                raise Refused(DAMAGED)  # calamine would end the string at the inner </si>
            self.inside, self.counts, self.phonetic, self.size = True, False, 0, 0
        elif local == "rPh":
            self.phonetic += 1
        elif local == "r" or (local == "t" and not self.phonetic):
            self.counts = True

    def end(self, name: str) -> None:
        local = _local(name)
        if local == "rPh":
            self.phonetic -= 1
        elif local == "si" and self.inside:
            self.inside = False
            if self.counts:
                if len(self.lengths) >= self.limits.max_cells:
                    raise strings_refusal(len(self.lengths) + 1, self.limits)
                self.lengths.append(self.size)

    def text(self, data: str) -> None:
        if self.inside:
            size = len(data.encode("utf-8"))
            self.size += size
            self.total += size
            if self.total > self.limits.max_text_bytes:
                raise text_refusal(self.total, self.limits)


def _shared_strings(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo], limits: Limits) -> array[int]:
    if len(parts) > 1:
        raise Refused(DAMAGED)
    strings = _Strings(limits)
    if parts:

        def setup(parser: expat.XMLParserType) -> None:
            parser.EndElementHandler = strings.end
            parser.CharacterDataHandler = strings.text

        _parse(_chunks(archive, parts[0]), strings.start, setup)
    return strings.lengths


_DIGITS = "0123456789"
_COLUMNS: dict[str, int] = {}  # letters -> 0-based column; a few hundred entries at most


def _position(ref: str, need_column: bool) -> tuple[int, int]:
    """'C7' -> (6, 2), 0-based, as calamine reads it (lower-case letters too); -1: no column."""
    letters = ref.rstrip(_DIGITS)  # what is left after it is ASCII digits only
    column = _COLUMNS.get(letters)
    if column is None:
        if not (letters.isascii() and (letters.isalpha() or not letters)) or len(letters) > 8:
            raise Refused(DAMAGED)
        column = -1
        for letter in letters.upper():
            column = (column + 1) * 26 + ord(letter) - 65
        if len(_COLUMNS) < 4096:
            _COLUMNS[letters] = column
    if len(letters) == len(ref) or (need_column and column < 0):
        raise Refused(DAMAGED)
    row = int(ref[len(letters) :]) - 1
    if row < 0:
        raise Refused(DAMAGED)
    return row, column


class _Cells:
    """One part's cells, placed as calamine places them; the shared text they copy."""

    def __init__(self, strings: array[int]) -> None:
        self.strings = strings
        self.longest = max(strings, default=0)
        self.extent = Extent()
        self.row = self.column = 0
        self.rows_seen = 0
        self.shared = False  # the current cell's value is a shared-string index
        self.listening = self.waiting = False  # a shared cell's <v> is open / its text not seen
        self.parser: expat.XMLParserType | None = None

    def scan(self, chunks: Iterator[bytes]) -> Extent:
        def setup(parser: expat.XMLParserType) -> None:
            self.parser = parser

        _parse(chunks, self.start, setup)
        return self.extent

    def start(self, name: str, attrs: dict[str, str]) -> None:
        # the hot path: called for every element of every sheet, so written out by hand
        if ":" in name:
            name = name.rpartition(":")[2]
        if self.listening and self.parser is not None:
            self.listening = self.waiting = False
            self.parser.CharacterDataHandler = None
        extent = self.extent
        if name == "c":
            ref = attrs.get("r")
            if ref is None:
                row, column = self.row, self.column
            else:  # _position, inlined for the usual case: letters seen before, then a row
                letters = ref.rstrip(_DIGITS)
                known = _COLUMNS.get(letters, -1)
                row = int(ref[len(letters) :]) - 1 if known >= 0 and len(letters) < len(ref) else -1
                row, column = (row, known) if row >= 0 else _position(ref, True)
            self.column = column + 1
            if row >= extent.rows:
                extent.rows = row + 1
            if column >= extent.columns:
                extent.columns = column + 1
            self.shared = attrs.get("t") == "s"
        elif name == "v":
            if self.shared and self.parser is not None:
                # calamine takes the index from the first text after <v>; with buffer_text expat
                # hands over that whole text in one call, so one call is all that counts. (A
                # handler cannot be detached from inside itself: pyexpat would call it again.)
                self.listening = self.waiting = True
                self.parser.CharacterDataHandler = self.value
        elif name == "row":
            ref = attrs.get("r")
            # calamine counts a row on at each </row>; counting at <row> is the same in a
            # well-formed part, which expat has made sure of.
            self.row = _position(ref, False)[0] if ref is not None else self.row + (self.rows_seen > 0)
            self.rows_seen += 1
            self.column = 0
        elif name == "dimension":
            end = attrs.get("ref", "").rpartition(":")[2]
            if end.rstrip(_DIGITS) and end[-1:].isdigit():
                extent.place(*_position(end, True))

    def value(self, data: str) -> None:
        if not self.waiting:
            return
        self.waiting = False
        text = data.strip()
        position = int(text) if text.isdigit() and text.isascii() else -1
        self.extent.text += self.strings[position] if 0 <= position < len(self.strings) else self.longest
