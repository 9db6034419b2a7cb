"""How large an .xls becomes once read, walked record by record before calamine sees it.

calamine reads a whole .xls when it opens it: it follows the compound file's sector chains (with
no guard against a chain that loops), sizes buffers by the counts the header and directory
declare, reserves a sheet's cells by its DIMENSIONS record, and builds every sheet as one block
from A1 to its farthest cell, a shared string copied into each cell that uses it. A 5 KB file
can declare any of these in the billions and abort the server. This module finds the Workbook
stream as calamine does (MS-CFB), refusing every count and chain that does not fit in the file,
then walks the BIFF records the reader turns into cells (MS-XLS). It never imports streamlit.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Callable, Iterator

from dashboard.ingest.excel_guard import (
    DAMAGED,
    Extent,
    Limits,
    Refused,
    check_workbook,
    strings_refusal,
)

_END, _FREE = 0xFFFFFFFE, 0xFFFFFFFF
_EOF, _BOF, _CONTINUE, _CODEPAGE, _BOUNDSHEET, _SST = 0x000A, 0x0809, 0x003C, 0x0042, 0x0085, 0x00FC
_DIMENSIONS, _LABELSST, _MULRK, _FORMULA = 0x0200, 0x00FD, 0x00BD, 0x0006
_CELLS = (0x0203, 0x0204, 0x0205, 0x027E)  # NUMBER, LABEL, BOOLERR, RK: one cell at (row, column)


def check_xls(data: bytes, limits: Limits) -> None:
    """Refuse (Refused) an .xls whose structure or cells would not fit once read."""
    stream = memoryview(workbook_stream(data))
    sheets: list[tuple[int, str]] = []
    strings: array[int] = array("Q")
    codepage, biff8 = 1200, True
    for typ, body, more in _records(stream, 0):
        if typ == _BOF and len(body) >= 2:
            version = _u16(body, 0)
            dt = _u16(body, 2) if len(body) >= 4 else 0
            biff8 = version not in (0x0002, 0x0007, 0x0200, 0x0300, 0x0400, 0x0500) and not (
                version == 0 and dt == 0x1000
            )
        elif typ == _CODEPAGE and len(body) >= 2:
            codepage = _u16(body, 0)
        elif typ == _BOUNDSHEET and len(body) >= 6:
            sheets.append((_u32(body, 0), _sheet_name(body[6:], codepage, biff8)))
        elif typ == _SST:
            strings = _sst(body, more, len(stream), limits)
        elif typ == _EOF:
            break
    cells = text = 0
    seen: dict[int, Extent] = {}
    for position, name in sheets:
        if position >= len(stream):
            raise Refused(DAMAGED)
        if position not in seen:  # calamine reads a sheet once per entry; the scan need not
            seen[position] = _sheet(stream, position, strings)
        extent = seen[position]
        extent.check(name, limits)
        cells += extent.rows * extent.columns
        text += extent.text
    check_workbook(cells, text, limits)


def _u16(data: memoryview | bytes, at: int) -> int:
    return int(struct.unpack_from("<H", data, at)[0])


def _u32(data: memoryview | bytes, at: int) -> int:
    return int(struct.unpack_from("<I", data, at)[0])


def workbook_stream(data: bytes) -> bytes:
    """The Workbook (or BIFF5 Book) stream of a compound file, as calamine assembles it."""
    if len(data) < 512 or _u16(data, 32) != 6 or _u16(data, 30) not in (9, 12):
        raise Refused(DAMAGED)
    size = 1 << _u16(data, 30)
    count = len(data) // size - 1  # sector n starts at (n + 1) * size
    dir_sectors, fat_sectors, dir_start = _u32(data, 40), _u32(data, 44), _u32(data, 48)
    mini_start, mini_sectors, difat_start, difat_sectors = (_u32(data, at) for at in (60, 64, 68, 72))
    # calamine reserves buffers by these counts before it reads a sector
    if count < 1 or max(dir_sectors, fat_sectors, mini_sectors, difat_sectors) > count:
        raise Refused(DAMAGED)

    def sector(n: int) -> bytes:
        if n >= count:
            raise Refused(DAMAGED)
        return data[(n + 1) * size : (n + 2) * size]

    difat = list(struct.unpack_from("<109I", data, 76))
    following, hops = difat_start, 0
    while following not in (_FREE, _END):
        hops += 1
        if hops > count:
            raise Refused(DAMAGED)
        difat.extend(struct.unpack(f"<{size // 4}I", sector(following)))
        following = difat.pop()
    fat_ids = [n for n in difat if n != _FREE]
    if len(fat_ids) > count:  # the same sector listed again and again: a FAT larger than the file
        raise Refused(DAMAGED)
    fat = _words(b"".join(sector(n) for n in fat_ids))
    directory = _chain(dir_start, fat, sector, count)
    entries = [directory[at : at + 128] for at in range(0, len(directory) - 127, 128)]
    if not entries:
        raise Refused(DAMAGED)
    offset, width = (120, "<I") if size == 512 else (120, "<Q")
    found = None
    for wanted in ("Workbook", "Book"):
        found = next(
            (e for e in entries if e[:64].decode("utf-16-le", "ignore").split("\0")[0] == wanted), None
        )
        if found is not None:
            break
    if found is None:
        raise Refused(DAMAGED)  # an encrypted .xlsx is a compound file without one
    root_length = struct.unpack_from(width, entries[0], offset)[0]
    length = struct.unpack_from(width, found, offset)[0]
    if length > len(data) or root_length > len(data):
        raise Refused(DAMAGED)
    # calamine loads the mini stream and its table on opening, whatever it reads afterwards
    mini = _chain(_u32(entries[0], 116), fat, sector, count)
    mini_fat = _words(_chain(mini_start, fat, sector, count))

    def mini_sector(n: int) -> bytes:
        if (n + 1) * 64 > len(mini):
            raise Refused(DAMAGED)
        return mini[n * 64 : (n + 1) * 64]

    start = _u32(found, 116)
    if length >= 4096:
        body = _chain(start, fat, sector, count)
    else:
        body = _chain(start, mini_fat, mini_sector, len(mini) // 64)
    return body[:length] if length else body


def _words(raw: bytes) -> array[int]:
    out = array("I")
    out.frombytes(raw[: len(raw) - len(raw) % 4])
    if sys.byteorder == "big":
        out.byteswap()
    return out


def _chain(start: int, fat: array[int], read: Callable[[int], bytes], sectors: int) -> bytes:
    """The sectors of one chain. One longer than the file has sectors loops, and is refused:
    calamine would follow it for ever, its buffer growing; one leaving the table too."""
    parts: list[bytes] = []
    current = start
    while current != _END:
        if current >= len(fat) or len(parts) >= sectors:
            raise Refused(DAMAGED)
        parts.append(read(current))
        current = fat[current]
    return b"".join(parts)


def _records(stream: memoryview, at: int) -> Iterator[tuple[int, memoryview, list[memoryview]]]:
    """(type, data, the CONTINUE records' data after it) from `at`, as calamine groups them."""
    while at < len(stream):
        if len(stream) - at < 4:
            raise Refused(DAMAGED)
        typ, length = struct.unpack_from("<HH", stream, at)
        if at + 4 + length > len(stream):
            raise Refused(DAMAGED)
        body = stream[at + 4 : at + 4 + length]
        at += 4 + length
        more: list[memoryview] = []
        while len(stream) - at > 4 and _u16(stream, at) == _CONTINUE:
            size = _u16(stream, at + 2)
            if at + 4 + size > len(stream):
                raise Refused(DAMAGED)
            more.append(stream[at + 4 : at + 4 + size])
            at += 4 + size
        yield typ, body, more


def _sheet_name(body: memoryview, codepage: int, biff8: bool) -> str:
    if not body:
        return "?"
    count = body[0]
    if biff8 and len(body) >= 2:
        raw = bytes(body[2 : 2 + count * (2 if body[1] & 1 else 1)])
        return raw.decode("utf-16-le" if body[1] & 1 else "latin-1", "replace")
    raw = bytes(body[1 : 1 + count])
    try:
        return raw.decode(f"cp{codepage}", "replace")
    except LookupError:
        return raw.decode("latin-1", "replace")


class _Cursor:
    """calamine's Record: the current slice, moved on to the next CONTINUE when asked."""

    def __init__(self, first: memoryview, more: list[memoryview]) -> None:
        self.data = first
        self.more = list(reversed(more))

    def next(self) -> bool:
        if not self.more:
            return False
        self.data = self.more.pop()
        return True

    def take(self, count: int) -> memoryview:
        if len(self.data) < count:
            raise Refused(DAMAGED)
        out, self.data = self.data[:count], self.data[count:]
        return out

    def skip(self, count: int) -> None:
        while count > 0:
            if not self.data and not self.next():
                raise Refused(DAMAGED)
            step = min(count, len(self.data))
            self.data = self.data[step:]
            count -= step


def _sst(body: memoryview, more: list[memoryview], stream_size: int, limits: Limits) -> array[int]:
    """Bytes each shared string reads to (at most 3 per UTF-16 unit), walked as calamine does."""
    if len(body) < 8:
        raise Refused(DAMAGED)
    unique = struct.unpack_from("<i", body, 4)[0]
    # calamine reserves `unique` strings first; each takes at least 3 bytes of the stream
    if unique > limits.max_cells:
        raise strings_refusal(unique, limits)
    if unique < 0 or unique * 3 > stream_size:
        raise Refused(DAMAGED)
    cursor = _Cursor(body[8:], more)
    lengths: array[int] = array("Q")
    for _ in range(unique):
        if not cursor.data and not cursor.next():
            raise Refused(DAMAGED)
        head = cursor.take(3)
        count, flags = _u16(head, 0), head[2]
        runs = _u16(cursor.take(2), 0) if flags & 0x8 else 0
        extra = struct.unpack_from("<i", cursor.take(4))[0] if flags & 0x4 else 0
        if extra < 0:
            raise Refused(DAMAGED)
        wide, left = bool(flags & 0x1), count
        while left > 0:
            step = min(len(cursor.data) // 2 if wide else len(cursor.data), left)
            cursor.data = cursor.data[step * (2 if wide else 1) :]
            left -= step
            if left > 0:
                if not cursor.next() or not cursor.data:
                    raise Refused(DAMAGED)
                wide, cursor.data = bool(cursor.data[0] & 1), cursor.data[1:]
        cursor.skip(runs * 4)
        cursor.skip(extra)
        lengths.append(3 * count)
    return lengths


def _sheet(stream: memoryview, position: int, strings: array[int]) -> Extent:
    """Where one sheet's cells fall: the records calamine keeps, to the sheet's EOF."""
    extent = Extent()
    for typ, body, _ in _records(stream, position):
        if typ == _EOF:
            break
        if typ == _DIMENSIONS:
            # calamine reserves (last - first) rows x columns of cells from this record
            if len(body) == 14:
                first_row, end_row, first_col, end_col = struct.unpack_from("<IIHH", body)
            elif len(body) == 10:
                first_row, end_row, first_col, end_col = struct.unpack_from("<HHHH", body)
            else:
                raise Refused(DAMAGED)
            if end_row >= 1 and end_col >= 1:
                if first_row > end_row - 1 or first_col > end_col - 1:
                    raise Refused(DAMAGED)
                extent.place(end_row - 1, end_col - 1)
        elif typ in _CELLS or typ == _FORMULA:
            if len(body) < 4:
                raise Refused(DAMAGED)
            extent.place(_u16(body, 0), _u16(body, 2))
        elif typ == _LABELSST:
            if len(body) < 10:
                raise Refused(DAMAGED)
            index = _u32(body, 6)
            if index < len(strings) and strings[index]:  # calamine keeps no cell for the others
                extent.place(_u16(body, 0), _u16(body, 2))
                extent.text += strings[index]
        elif typ == _MULRK:
            if len(body) < 6 or _u16(body, len(body) - 2) < _u16(body, 2):
                raise Refused(DAMAGED)
            extent.place(_u16(body, 0), _u16(body, len(body) - 2))
    return extent
