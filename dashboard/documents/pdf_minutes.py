"""The 會議紀錄 as a PDF (fpdf2): A4 in the CJK font letters.find_font() finds on the machine
(its bold face when installed beside it), text wrapped at any character, no heading left alone
at the foot of a page, the follow-up table with its header repeated, and a page-number footer
that carries the 草稿 marker of unconfirmed minutes. It draws only what minutes.content put in
a Minutes.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from dashboard import exports
from dashboard.documents import letters
from dashboard.documents.minutes_model import _RED, DRAFT_MARK, FOLLOW_UP_WIDTHS_MM, Field, Minutes, _clean

_PDF_SIZE = 11  # pt
_CHAR_MM = _PDF_SIZE * 25.4 / 72  # one CJK character at the body size, for indents
_LINE = 6.5
_CHAR = WrapMode.CHAR  # Chinese has no spaces to wrap at: break anywhere


class _Pdf(FPDF):
    def __init__(self, font: letters.CjkFont, note: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=18)
        self.add_font(letters.FAMILY, "", str(font.path), collection_font_number=font.face)
        # Noto ships its bold weight beside the regular one, with the faces in the same order;
        # without it, bold text is printed in the regular weight.
        bold = font.path.with_name(font.path.name.replace("Regular", "Bold"))
        bold_path = bold if bold != font.path and bold.is_file() else font.path
        self.add_font(letters.FAMILY, "B", str(bold_path), collection_font_number=font.face)
        self.note = note

    def header(self) -> None:
        stamp = exports.current_stamp()
        if stamp is None:
            return
        self.set_y(7)
        self.set_font(letters.FAMILY, size=8)
        self.set_text_color(*_RED)
        self.cell(0, 4, stamp.line(), align="R")
        self.set_text_color(0)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(letters.FAMILY, size=9)
        self.cell(0, 5, f"{self.note}第 {self.page_no()} 頁，共 {{nb}} 頁", align="C")

    def para(
        self,
        text: str,
        size: float = _PDF_SIZE,
        bold: bool = False,
        align: str = "L",
        indent: int = 0,
        height: float = _LINE,
    ) -> None:
        left = indent * _CHAR_MM
        self.set_font(letters.FAMILY, "B" if bold else "", size)
        self.set_x(self.l_margin + left)
        self.multi_cell(self.epw - left, height, _clean(text), align=align, wrapmode=_CHAR, new_x="LMARGIN")

    def field(self, f: Field, indent: int) -> None:
        if self.will_page_break(_LINE):
            self.add_page()  # keep the label and its first line together
        left = indent * _CHAR_MM
        self.set_font(letters.FAMILY, "B", _PDF_SIZE)
        label = f"{f.label}："
        width = self.get_string_width(label)
        self.set_x(self.l_margin + left)
        self.cell(width, _LINE, label, new_x="RIGHT", new_y="TOP")
        self.set_font(letters.FAMILY, "", _PDF_SIZE)
        self.multi_cell(
            self.epw - left - width, _LINE, _clean(f.text), align="L", wrapmode=_CHAR, new_x="LMARGIN"
        )

    def grid(self, rows: tuple[tuple[str, ...], ...]) -> None:
        self.set_font(letters.FAMILY, "", 10)
        with self.table(
            col_widths=FOLLOW_UP_WIDTHS_MM,
            text_align="LEFT",
            line_height=5.2,
            wrapmode=_CHAR,
            padding=1.2,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            repeat_headings=1,
        ) as table:
            for row in rows:
                cells = table.row()
                for text in row:
                    cells.cell(_clean(text))


def render_pdf(m: Minutes) -> bytes:
    pdf = _Pdf(letters.find_font(), DRAFT_MARK if m.draft else "")
    pdf.set_title(m.title)
    pdf.set_creator(m.school)
    stamp = exports.current_stamp()
    if stamp is not None:
        pdf.set_author(stamp.exported_by)
        pdf.set_subject(stamp.line())
        pdf.set_keywords(exports.CONFIDENTIAL)
    pdf.add_page()
    pdf.para(m.school, size=16, bold=True, align="C", height=9)
    pdf.para(m.title, size=14, bold=True, align="C", height=8)
    if m.draft:
        pdf.set_text_color(*_RED)
        pdf.para(DRAFT_MARK, bold=True, align="C")
        pdf.set_text_color(0)
    pdf.ln(2)
    for f in m.header:
        pdf.field(f, indent=0)
    pdf.para(m.quorum)
    for s in m.sections:
        pdf.ln(2)
        if pdf.will_page_break(_LINE * 3):
            pdf.add_page()  # never a section heading alone at the foot of a page
        pdf.para(s.heading, size=13, bold=True, height=8)
        if s.table:
            pdf.grid(s.table)
        if s.text:
            pdf.para(s.text, indent=2)
        for e in s.entries:
            if pdf.will_page_break(_LINE * 2):
                pdf.add_page()
            pdf.para(e.heading, bold=True, indent=2)
            for f in e.fields:
                pdf.field(f, indent=4)
    return bytes(pdf.output())
