"""紙本通知信函: one A4 page per student who has left, to be mailed in a window envelope.

Each letter has the school header, the address block (address, then 「學號 姓名 同學 收」) placed
for the envelope's window, the date (ROC, from 資料截至), what to confirm and by when, how to
confirm (the platform's 收訖確認, or the reply slip), the contact unit and a reply slip. Letters
carry addresses, so they are built only for callers that may see addresses (PermissionError
otherwise). The CJK font is found on the machine (Debian fonts-noto-cjk), never downloaded or
committed. School constants a school edits live in SCHOOL. This module must not import streamlit.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from fpdf import FPDF

from dashboard import exports
from dashboard.formatting import roc_date, roc_long_date
from dashboard.registry.notices import Recipient

# What the school edits: printed on every letter.
SCHOOL: dict[str, str] = {
    "name": "國立新竹高級工業職業學校",
    "address": "300 新竹市東區（請填學校地址）",
    "phone": "03-5322175 分機 ___",
    "platform": "學習歷程檔案學校平臺",
}

FONT_ENV = "PORTFOLIO_CJK_FONT"  # a .ttf/.otf/.ttc path that overrides the search
FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)
FONT_MISSING = "找不到中文字型，請安裝 fonts-noto-cjk"
NO_PERMISSION = "紙本通知信函含學生通訊地址，只有管理者與註冊組可以產生；請洽註冊組。"
FAMILY = "cjk"


class FontMissingError(FileNotFoundError):
    """No CJK font on this machine; the message tells the clerk what to install."""


@dataclass(frozen=True)
class CjkFont:
    path: Path
    face: int  # index inside a .ttc collection (0 for a single font)


def _traditional_face(path: Path) -> int:
    """The Traditional Chinese face of a collection (Noto Sans CJK TC), else the first."""
    if path.suffix.lower() != ".ttc":
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    try:
        names = [str(f["name"].getDebugName(4) or "") for f in collection.fonts]
    finally:
        collection.close()
    for wanted in (" TC", " HK"):
        for i, name in enumerate(names):
            if name.endswith(wanted) and "Mono" not in name:
                return i
    return 0


@cache
def find_font(extra: tuple[str, ...] = ()) -> CjkFont:
    """The first usable CJK font: $PORTFOLIO_CJK_FONT, then `extra`, then the Debian paths."""
    env = os.environ.get(FONT_ENV)
    for candidate in (*((env,) if env else ()), *extra, *FONT_CANDIDATES):
        path = Path(candidate)
        if path.is_file():
            return CjkFont(path, _traditional_face(path))
    raise FontMissingError(FONT_MISSING)


def roc_long(value: date) -> str:
    """2026-11-16 -> 中華民國115年11月16日."""
    return f"中華民國{roc_long_date(value)}"


class _Letter(FPDF):
    def __init__(self, font: CjkFont) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_auto_page_break(False)  # one page per student, never a spill-over page
        self.set_margins(20, 15, 20)
        self.add_font(FAMILY, "", str(font.path), collection_font_number=font.face)
        self.set_title("學生學習歷程檔案收訖明細確認通知")
        self.set_creator(SCHOOL["name"])

    def text_line(self, text: str, size: float = 11, height: float = 6.5, align: str = "L") -> None:
        self.set_font(FAMILY, size=size)
        self.multi_cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")


def _page(pdf: _Letter, r: Recipient, issued_on: date) -> None:
    pdf.add_page()
    unit = r.contact_unit
    # Return address, top left (small), as on a school envelope.
    pdf.set_xy(20, 15)
    pdf.text_line(f"{SCHOOL['name']} {unit}", size=9, height=4.5)
    pdf.text_line(SCHOOL["address"], size=9, height=4.5)
    # Address block in the window of a standard Chinese envelope (about 90 x 35 mm).
    pdf.set_xy(25, 40)
    pdf.set_font(FAMILY, size=12)
    pdf.multi_cell(95, 7, r.address or "（通訊地址不詳，請補填）", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FAMILY, size=14)
    pdf.multi_cell(95, 9, f"{r.student_no} {r.name} 同學 收", new_x="LMARGIN", new_y="NEXT")
    # Letter head.
    pdf.set_y(85)
    pdf.text_line(SCHOOL["name"], size=16, height=9, align="C")
    pdf.text_line("學生學習歷程檔案收訖明細確認通知", size=13, height=8, align="C")
    pdf.text_line(f"發文日期：{roc_long(issued_on)}　　發文單位：{unit}", size=9.5, height=6, align="R")
    pdf.ln(1)
    due = roc_date(r.deadline_date)
    pdf.text_line(f"{r.name} 同學（{r.class_name}，學號 {r.student_no}）您好：", size=11)
    pdf.text_line(
        "依本校建置學生學習歷程檔案作業補充規定第十一點(四)，學生離校後無法使用學校平臺確認時，"
        f"以紙本郵寄通知。學校已將您的下列資料提交至中央資料庫，請於 {due} 前完成收訖明細確認：",
        size=11,
    )
    _receipt_table(pdf, r)
    pdf.ln(1)
    pdf.text_line("確認方式（擇一）：", size=11)
    pdf.text_line(
        f"一、登入「{SCHOOL['platform']}」的「收訖確認」，逐項確認；內容有誤請選「回報錯誤」並說明。",
        size=10.5,
        height=6,
    )
    pdf.text_line(
        f"二、無法登入者，請填妥下方回條，於 {due} 前寄回或親送本校{unit}。",
        size=10.5,
        height=6,
    )
    pdf.text_line(f"聯絡單位：{SCHOOL['name']} {unit}　電話：{SCHOOL['phone']}", size=10.5, height=6)
    _reply_slip(pdf, r, due)


def _receipt_table(pdf: _Letter, r: Recipient) -> None:
    many = len(r.receipts) > 8
    height = 5.5 if many else 6.5
    pdf.set_font(FAMILY, size=9.5 if many else 10.5)
    widths = (60, 55, 55)
    x = pdf.l_margin
    for text, w in zip(("學年度／學期", "名冊別", "確認截止日"), widths, strict=True):
        pdf.cell(w, height, text, border=1, align="C")
    pdf.ln(height)
    for p in r.receipts:
        when = f"{p.school_year}學年度" if p.semester == 0 else f"{p.school_year}學年度第{p.semester}學期"
        pdf.set_x(x)
        for text, w in zip((when, p.roster, roc_date(p.deadline_date)), widths, strict=True):
            pdf.cell(w, height, text, border=1, align="C")
        pdf.ln(height)


def _reply_slip(pdf: _Letter, r: Recipient, due: str) -> None:
    top = max(pdf.get_y() + 4, 222.0)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    pdf.line(15, top, 195, top)
    pdf.set_dash_pattern()
    pdf.set_xy(20, top + 1)
    pdf.text_line("（請沿虛線剪下）", size=8, height=4, align="C")
    pdf.text_line("學生學習歷程檔案收訖明細確認回條", size=12, height=7, align="C")
    pdf.text_line(f"學號：{r.student_no}　姓名：{r.name}　班級：{r.class_name}", size=10.5, height=6.5)
    pdf.text_line("□ 以上各名冊的收訖明細內容均無誤。", size=10.5, height=6.5)
    pdf.text_line(
        "□ 內容有誤，名冊與說明：＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿", size=10.5, height=6.5
    )
    pdf.text_line(
        "學生簽名：＿＿＿＿＿＿＿　聯絡電話：＿＿＿＿＿＿＿　日期：＿＿＿＿＿＿", size=10.5, height=6.5
    )
    pdf.text_line(
        f"請於 {due} 前寄回 {SCHOOL['name']} {r.contact_unit}（{SCHOOL['address']}）", size=9, height=5
    )


def build_letters(rows: Sequence[Recipient], *, may_see_addresses: bool, issued_on: date) -> bytes:
    """The letters as one PDF, a page per student in the order given.

    Raises PermissionError for a caller that may not see addresses, ValueError with no
    student, FontMissingError when the machine has no CJK font.
    """
    if not may_see_addresses:
        raise PermissionError(NO_PERMISSION)
    if not rows:
        raise ValueError("沒有需要寄送紙本通知的學生。")
    pdf = _Letter(find_font())
    stamp = exports.current_stamp()
    if stamp is not None:  # in the file's properties: the letter itself goes to the family
        pdf.set_author(stamp.exported_by)
        pdf.set_subject(stamp.line())
        pdf.set_keywords(exports.CONFIDENTIAL)
    for r in rows:
        _page(pdf, r, issued_on)
    return bytes(pdf.output())
