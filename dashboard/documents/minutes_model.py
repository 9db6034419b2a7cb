"""The shape of the 會議紀錄 both renderers draw: Minutes (the header fields, the quorum line and
the numbered sections, each holding entries of labelled fields or the follow-up table), all
plain strings. minutes.py fills it from the database; docx_minutes.py and pdf_minutes.py draw
it, sharing what is here: the 草稿 marker and its red, the follow-up table's column widths, and
the cleaning of pasted text. Nothing here reads the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DRAFT_MARK = "（草稿，尚未確認）"
FOLLOW_UP_WIDTHS_MM = (40, 44, 30, 20, 36)  # sums to the 170 mm between the margins
_RED = (192, 0, 0)
# Text pasted from Word can hold form feeds and vertical tabs (its manual line break), which
# are not allowed in .docx XML; they become line breaks and other control characters go.
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


@dataclass(frozen=True)
class Field:
    label: str  # printed bold, followed by ：; wrapped lines of `text` hang under the text
    text: str


@dataclass(frozen=True)
class Entry:
    heading: str  # 一、報告主題：… or 第一案
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Section:
    heading: str  # 壹、報告事項 (numbered here, so both formats agree)
    entries: tuple[Entry, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()  # header row first
    text: str = ""  # 無 when the section has no items


@dataclass(frozen=True)
class Minutes:
    school: str
    title: str
    draft: bool
    header: tuple[Field, ...]
    quorum: str
    sections: tuple[Section, ...]


def _clean(text: str) -> str:
    return _CONTROL.sub("", _BREAKS.sub("\n", text))
