"""The 會議紀錄 as a Word file (.docx, python-docx): A4, the CJK font named for East Asian text,
hanging indents under each field's label, the follow-up table with its header row repeated on
every page, and a page-number footer that carries the 草稿 marker of unconfirmed minutes. It
draws only what minutes.content put in a Minutes.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from dashboard import exports
from dashboard.documents.minutes_model import _RED, DRAFT_MARK, FOLLOW_UP_WIDTHS_MM, Field, Minutes, _clean

DOCX_FONT = "Noto Sans CJK TC"  # Word needs the East Asian font named, or it falls back per glyph
_DOCX_SIZE = 12  # pt; indents below are counted in characters of this size


def render_docx(m: Minutes) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(18)
    _docx_styles(doc)
    doc.core_properties.title = m.title
    stamp = exports.current_stamp()
    if stamp is not None:
        doc.core_properties.author = stamp.exported_by
        doc.core_properties.keywords = exports.CONFIDENTIAL
        doc.core_properties.comments = stamp.line()
        top = section.header.paragraphs[0]
        top.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        top.add_run(_clean(stamp.line())).font.size = Pt(8)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _docx_line(doc, m.school, size=16, bold=True, align=center)
    _docx_line(doc, m.title, size=14, bold=True, align=center)
    if m.draft:
        _docx_line(doc, DRAFT_MARK, bold=True, align=center, red=True)
    for f in m.header:
        _docx_field(doc, f, indent=0)
    _docx_line(doc, m.quorum)
    for s in m.sections:
        doc.add_heading(_clean(s.heading), level=1)
        if s.table:
            _docx_table(doc, s.table)
        if s.text:
            _docx_line(doc, s.text, indent=2)
        for e in s.entries:
            doc.add_heading(_clean(e.heading), level=2).paragraph_format.left_indent = Pt(2 * _DOCX_SIZE)
            for f in e.fields:
                _docx_field(doc, f, indent=4)
    _docx_footer(doc, DRAFT_MARK if m.draft else "")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_styles(doc: Any) -> None:
    for name, size in (("Normal", _DOCX_SIZE), ("Heading 1", 14), ("Heading 2", _DOCX_SIZE)):
        style = doc.styles[name]
        style.font.name = DOCX_FONT
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        # The template's headings name theme fonts, which win over explicit names; drop them.
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        fonts.set(qn("w:eastAsia"), DOCX_FONT)
        fmt = style.paragraph_format
        fmt.space_before = Pt(8 if name == "Heading 1" else 4 if name == "Heading 2" else 0)
        fmt.space_after = Pt(2)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-TW")
    doc.styles["Normal"].element.get_or_add_rPr().append(lang)


def _docx_line(
    doc: Any,
    text: str,
    size: float = _DOCX_SIZE,
    bold: bool = False,
    align: Any = None,
    indent: int = 0,
    red: bool = False,
) -> None:
    p = doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.left_indent = Pt(indent * _DOCX_SIZE)
    run = p.add_run(_clean(text))  # a newline in `text` becomes a line break
    run.bold = bold
    run.font.size = Pt(size)
    if red:
        run.font.color.rgb = RGBColor(*_RED)


def _docx_field(doc: Any, f: Field, indent: int) -> None:
    p = doc.add_paragraph()
    hang = Pt((len(f.label) + 1) * _DOCX_SIZE)  # wrapped lines start under the text, not the label
    p.paragraph_format.left_indent = Pt(indent * _DOCX_SIZE) + hang
    p.paragraph_format.first_line_indent = -hang
    p.add_run(f"{f.label}：").bold = True
    p.add_run(_clean(f.text))


def _docx_table(doc: Any, rows: tuple[tuple[str, ...], ...]) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(w) for w in FOLLOW_UP_WIDTHS_MM]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice reads; Word reads each cell's width
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.width = widths[c]
            run = cell.paragraphs[0].add_run(_clean(text))
            run.font.size = Pt(10.5)
            if r == 0:
                run.bold = True
    # Repeat the header row when the table runs onto the next page.
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)


def _docx_footer(doc: Any, note: str) -> None:
    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, instr in ((f"{note}第 ", "PAGE"), (" 頁，共 ", "NUMPAGES"), (" 頁", "")):
        p.add_run(text)
        if instr:  # a field Word fills in when it lays the pages out
            field, run, shown = OxmlElement("w:fldSimple"), OxmlElement("w:r"), OxmlElement("w:t")
            field.set(qn("w:instr"), instr)
            shown.text = "1"
            run.append(shown)
            field.append(run)
            p._p.append(field)
