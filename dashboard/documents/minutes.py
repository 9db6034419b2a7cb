"""會議紀錄 export: one working-group meeting's minutes in the Taiwanese layout, as .docx and PDF.

`content` reads the stored meeting (its attendance, the quorum, its items and the earlier
resolutions it reports on) into plain strings; both renderers draw only from that, so the Word
file and the PDF never differ in what they say. Nothing is invented: what is not stored
(主席致詞, 提案單位) is not printed, and an empty required field shows as （未填）. Unconfirmed
minutes carry a 草稿 marker. The PDF uses the CJK font letters.find_font() finds on the machine.
The shape of the minutes lives in minutes_model.py, the two renderers in docx_minutes.py and
pdf_minutes.py. This module only reads the database and must not import streamlit.
"""

from __future__ import annotations

from datetime import date

import duckdb

from dashboard.documents import letters
from dashboard.documents.docx_minutes import DOCX_FONT as DOCX_FONT  # re-exported for callers
from dashboard.documents.docx_minutes import render_docx
from dashboard.documents.minutes_model import Entry, Field, Minutes, Section
from dashboard.documents.pdf_minutes import render_pdf
from dashboard.formatting import roc_date, roc_long_date, weekday_name
from dashboard.measures import targets
from dashboard.records import committee, meetings, resolutions

Connection = duckdb.DuckDBPyConnection

SCHOOL = letters.SCHOOL["name"]
BLANK = "（未填）"
NONE = "無"
FOLLOW_UP_HEADER = ("案由", "決議", "負責單位", "執行情形", "說明")
_DIGITS = "零一二三四五六七八九"
_FORMAL = "零壹貳參肆伍陸柒捌玖"  # 壹、貳、參 number the sections of an official document


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
    day = roc_long_date(value)
    return f"{day}（星期{weekday_name(value)}）" if weekday else day


def clock(hhmm: str) -> str:
    """14:00 → 下午2時00分; empty → （未填）."""
    if not hhmm:
        return BLANK
    hour, minute = (int(part) for part in hhmm.split(":"))
    part = "上午" if hour < 12 else "中午" if hour == 12 else "下午"
    return f"{part}{hour - 12 if hour > 12 else hour}時{minute:02d}分"


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


def minutes_docx(con: Connection, meeting_id: int) -> bytes:
    return render_docx(content(con, meeting_id))


def minutes_pdf(con: Connection, meeting_id: int) -> bytes:
    """Raises letters.FontMissingError when the machine has no CJK font."""
    return render_pdf(content(con, meeting_id))
