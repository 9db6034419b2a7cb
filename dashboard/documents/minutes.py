"""會議紀錄 export: one working-group meeting's minutes in the Taiwanese layout, as .docx and PDF.

`content` reads the stored meeting (its attendance, the quorum, its items and the earlier
resolutions it reports on) into plain strings; both renderers draw only from that, so the Word
file and the PDF never differ in what they say. Nothing is invented: what is not stored
(主席致詞, 提案單位) is not printed, and an empty required field shows as （未填）. Unconfirmed
minutes carry a 草稿 marker. The PDF uses the CJK font letters.find_font() finds on the machine.
This module only reads the database and must not import streamlit.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from dashboard.documents import letters
from dashboard.formatting import roc_date
from dashboard.measures import targets
from dashboard.records import committee, meetings, resolutions

Connection = duckdb.DuckDBPyConnection

SCHOOL = letters.SCHOOL["name"]
DRAFT_MARK = "（草稿，尚未確認）"
BLANK = "（未填）"
NONE = "無"
DOCX_FONT = "Noto Sans CJK TC"  # Word needs the East Asian font named, or it falls back per glyph
FOLLOW_UP_HEADER = ("案由", "決議", "負責單位", "執行情形", "說明")
FOLLOW_UP_WIDTHS_MM = (40, 44, 30, 20, 36)  # sums to the 170 mm between the margins
_DIGITS = "零一二三四五六七八九"
_FORMAL = "零壹貳參肆伍陸柒捌玖"  # 壹、貳、參 number the sections of an official document
_WEEKDAYS = "一二三四五六日"
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


def chinese_number(n: int, formal: bool = False) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (formal: 壹, 拾, 貳拾壹); 1 to 99."""
    if not 1 <= n <= 99:
        raise ValueError(f"中文編號只支援 1 到 99，收到 {n}。")
    digits, ten = (_FORMAL, "拾") if formal else (_DIGITS, "十")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + ten + (digits[ones] if ones else "")


def roc_day(value: date, weekday: bool = False) -> str:
    """2025-09-10 → 114年9月10日 (with weekday: 114年9月10日（星期三）)."""
    day = f"{value.year - 1911}年{value.month}月{value.day}日"
    return f"{day}（星期{_WEEKDAYS[value.weekday()]}）" if weekday else day


def clock(hhmm: str) -> str:
    """14:00 → 下午2時00分; empty → （未填）."""
    if not hhmm:
        return BLANK
    hour, minute = (int(part) for part in hhmm.split(":"))
    part = "上午" if hour < 12 else "中午" if hour == 12 else "下午"
    return f"{part}{hour - 12 if hour > 12 else hour}時{minute:02d}分"


def _clean(text: str) -> str:
    return _CONTROL.sub("", _BREAKS.sub("\n", text))


def file_name(meeting: meetings.Meeting, ext: str) -> str:
    """114學年度第1學期第1次工作小組會議紀錄.docx; a draft's name says so, so that a draft
    saved to a shared folder is never taken for the confirmed minutes."""
    draft = "" if meeting.status == meetings.CONFIRMED else "（草稿）"
    return f"{meeting.session_label}紀錄{draft}.{ext.lstrip('.')}"


# --- content ----------------------------------------------------------------------------


def content(con: Connection, meeting_id: int) -> Minutes:
    """Everything the minutes say, as plain strings, shared by both renderers."""
    m = meetings.load(con, meeting_id)
    by_id = {r.item_id: r for r in resolutions.all_resolutions(con)} if m.follow_ups else {}
    q = meetings.quorum(con, m.school_year, m.attendance)
    present = [_person(a) for a in m.attendance if a.attendance in meetings.PRESENT]
    header = [
        Field("時間", f"{roc_day(m.held_on, weekday=True)}{clock(m.start_time)}" if m.held_on else BLANK),
        Field("地點", m.place or BLANK),
        Field("主席", f"{m.chair or BLANK}　　紀錄：{m.recorder or BLANK}"),
        Field("出席", f"{'、'.join(present) or NONE}（共 {len(present)} 人）"),
    ]
    guests = [f"{g.name}（{g.title}）" if g.title else g.name for g in m.guests]
    if guests:
        header.append(Field("列席", "、".join(guests)))
    for status in ("請假", "缺席"):
        names = [_person(a) for a in m.attendance if a.attendance == status]
        if names:
            header.append(Field(status, "、".join(names)))
    reached = "已達" if q.met else "未達"
    quorum = f"應出席 {q.seats} 人，實到 {q.present} 人，{reached}法定人數（{q.required} 人）。"
    titled: list[tuple[str, Section]] = []
    if m.follow_ups:
        rows = [FOLLOW_UP_HEADER, *(_follow_up_row(f, by_id.get(f.item_id)) for f in m.follow_ups)]
        titled.append(("上次會議決議執行情形", Section("", table=tuple(rows))))
    for name in meetings.SECTIONS:
        items = [item for item in m.items if item.section == name]
        entries = tuple(_entry(n, item) for n, item in enumerate(items, 1))
        titled.append((name, Section("", entries=entries, text="" if entries else NONE)))
    titled.append((f"散會：{clock(m.end_time)}", Section("")))
    sections = tuple(
        Section(f"{chinese_number(n, formal=True)}、{title}", s.entries, s.table, s.text)
        for n, (title, s) in enumerate(titled, 1)
    )
    return Minutes(
        school=SCHOOL,
        title=f"{m.session_label}紀錄",
        draft=m.status != meetings.CONFIRMED,
        header=tuple(header),
        quorum=quorum,
        sections=sections,
    )


def _person(a: meetings.Attendance) -> str:
    seat = committee.SEAT_BY_NO[a.seat_no].name if a.seat_no in committee.SEAT_BY_NO else ""
    who = f"{seat}{a.person_name}"
    return f"{who}（{a.deputy_name}代理）" if a.attendance == "代理" and a.deputy_name else who


def _follow_up_row(f: meetings.FollowUp, r: resolutions.Resolution | None) -> tuple[str, ...]:
    if r is None:  # the 決議 text was removed from its meeting after this report was saved
        return ("（此案在原會議紀錄中已無決議）", "", "", f.status, f.note)
    origin = r.session_label.removesuffix("工作小組會議")
    owner = r.owner_unit or "—"
    if r.due_date is not None:
        owner += f"\n期限 {roc_date(r.due_date)}"
    return (f"{r.title}\n（{origin}會議）", r.decision, owner, f.status, f.note)


def _entry(n: int, item: meetings.Item) -> Entry:
    deciding = item.section in meetings.DECIDING_SECTIONS
    fields: list[Field] = []
    if deciding:
        heading = f"第{chinese_number(n)}案"
        fields.append(Field("案由", item.title))
    else:
        heading = f"{chinese_number(n)}、報告主題：{item.title}"
    if item.explanation:
        fields.append(Field("說明", item.explanation))
    if deciding:
        fields.append(Field("決議", item.decision or BLANK))
        counts = (("贊成", item.votes_for), ("反對", item.votes_against), ("棄權", item.votes_abstain))
        votes = [f"{label} {v} 票" for label, v in counts if v is not None]
        if votes:
            fields.append(Field("表決", "、".join(votes)))
    elif item.decision:
        fields.append(Field("決定", item.decision))
    if item.owner_unit:
        fields.append(Field("負責單位", item.owner_unit))
    if item.due_date is not None:
        fields.append(Field("執行期限", roc_day(item.due_date)))
    if item.metric_key and item.metric_target is not None and item.metric_year is not None:
        period = f"{item.metric_year}學年度"
        if item.metric_semester is not None:
            period += f"第{item.metric_semester}學期"
        label = targets.METRICS.get(item.metric_key, item.metric_key)
        fields.append(Field("追蹤指標", f"{period}{label}達 {item.metric_target * 100:g}%"))
    if item.topics:
        fields.append(Field("工作事項", "、".join(item.topics)))
    return Entry(heading, tuple(fields))


# --- Word -------------------------------------------------------------------------------

_DOCX_SIZE = 12  # pt; indents below are counted in characters of this size


def minutes_docx(con: Connection, meeting_id: int) -> bytes:
    return render_docx(content(con, meeting_id))


def render_docx(m: Minutes) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(18)
    _docx_styles(doc)
    doc.core_properties.title = m.title
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


# --- PDF --------------------------------------------------------------------------------

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


def minutes_pdf(con: Connection, meeting_id: int) -> bytes:
    """Raises letters.FontMissingError when the machine has no CJK font."""
    return render_pdf(content(con, meeting_id))


def render_pdf(m: Minutes) -> bytes:
    pdf = _Pdf(letters.find_font(), DRAFT_MARK if m.draft else "")
    pdf.set_title(m.title)
    pdf.set_creator(m.school)
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
