"""Publishing the 作業期程 (Art. 5: 公告於學校網站): a standalone HTML page, an .ics calendar and
an .xlsx workbook of one semester's stored rows.

The HTML page is uploaded as is to the school website and printed: it must stay self-contained
(inline CSS, system fonts, no script, link, image or any other external reference) and escape
every value. The calendar is RFC 5545 written here by hand, so the running dashboard needs no
calendar library. This module must not import streamlit or write files; callers save the bytes.
"""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, timedelta

import duckdb
import pandas as pd

from dashboard import exports
from dashboard.documents import letters
from dashboard.formatting import roc_date, roc_datetime, weekday_name
from dashboard.records.schedule_model import PhaseEntry, phase_rank, rows, scope_label
from dashboard.school_calendar import TAIPEI

Connection = duckdb.DuckDBPyConnection

COLUMNS: tuple[str, ...] = ("項目", "適用部別", "開始日期", "結束日期", "自我檢核日期", "負責單位")
SHEET = "作業期程"
NOT_SET = "未訂定"
UID_DOMAIN = "portfolio-dashboard.invalid"
# ASCII UIDs: some calendar apps mishandle non-ASCII UIDs, and a UID that stays the same when the
# schedule is published again lets a subscribed calendar update an event instead of doubling it.
_PHASE_CODES: dict[str, str] = {
    "學生上傳課程學習成果": "outcome-upload",
    "教師認證": "certification",
    "學生上傳多元表現": "diverse-upload",
    "學生勾選": "selection",
    "學校提交": "submission",
    "收訖確認": "receipt",
    "休業式": "closing",
}
_SCOPE_CODES: dict[str | None, str] = {None: "all", "日間部": "day", "進修部": "evening"}
FOLD_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded


def title(year: int, semester: int) -> str:
    return f"{letters.SCHOOL['name']} {year}學年度第{semester}學期 學生學習歷程檔案作業期程"


def file_name(year: int, semester: int, ext: str) -> str:
    """(115, 1, "html") -> 115-1_學習歷程作業期程.html."""
    return f"{year}-{semester}_學習歷程作業期程.{ext.lstrip('.')}"


def roc_day(value: date | None) -> str:
    """2025-09-01 -> 114/09/01（一）; None -> 未訂定."""
    return NOT_SET if value is None else f"{roc_date(value)}（{weekday_name(value)}）"


def published_rows(con: Connection, year: int, semester: int) -> list[tuple[str | None, PhaseEntry]]:
    """The stored rows in phase order; within a phase the general row, then 日間部, 進修部."""
    return sorted(rows(con, year, semester), key=lambda pair: phase_rank(pair[1].phase))


def _cells(division: str | None, e: PhaseEntry) -> list[str]:
    return [
        e.phase,
        scope_label(division),
        roc_day(e.start_date),
        roc_day(e.end_date),
        roc_day(e.self_check_date),
        e.unit or NOT_SET,
    ]


# --- HTML -------------------------------------------------------------------------------

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  margin: 0; padding: 1.5rem 1rem 2rem; background: #ffffff; color: #1a1a1a;
  font-family: "Noto Sans CJK TC", "Noto Sans TC", "Microsoft JhengHei", "PingFang TC",
    "Heiti TC", sans-serif;
  font-size: 1rem; line-height: 1.6;
}
main { max-width: 64rem; margin: 0 auto; }
h1 { font-size: 1.5rem; line-height: 1.4; margin: 0 0 0.75rem; color: #0b2545; }
p { margin: 0 0 0.75rem; }
.table-wrap { overflow-x: auto; margin: 1rem 0; border: 1px solid #5c6b7a; }
.table-wrap:focus { outline: 3px solid #0b2545; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; min-width: 44rem; }
caption { text-align: left; font-weight: 700; padding: 0.5rem 0.75rem; caption-side: top; }
th, td { border: 1px solid #5c6b7a; padding: 0.5rem 0.75rem; text-align: left; vertical-align: top; }
thead th { background: #dfe7f0; color: #0b2545; }
tbody th { font-weight: 700; }
tbody tr:nth-child(even) { background: #f4f6f8; }
td.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
thead th, tbody th, td.scope { white-space: nowrap; }
.note { color: #333333; font-size: 0.95rem; }
footer { margin-top: 1.5rem; padding-top: 0.75rem; border-top: 1px solid #5c6b7a; color: #333333;
  font-size: 0.9rem; }
@media (max-width: 40rem) {
  body { padding: 1rem 0.75rem; font-size: 1.0625rem; }
  h1 { font-size: 1.25rem; }
  /* A phone shows one card per row, each value labelled by its column (td::before). */
  .table-wrap { overflow: visible; border: 0; }
  table, caption, tbody, tr, th, td { display: block; }
  table { min-width: 0; }
  caption { padding: 0 0 0.5rem; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tbody tr { border: 1px solid #5c6b7a; margin: 0 0 0.75rem; }
  tbody tr:nth-child(even) { background: none; }
  tbody th { background: #dfe7f0; color: #0b2545; border: 0; white-space: normal; }
  td { border: 0; border-top: 1px solid #c5ced8; }
  td[data-label] { display: grid; grid-template-columns: 7em 1fr; gap: 0.5rem; }
  td[data-label]::before { content: attr(data-label); font-weight: 700; color: #333333; }
}
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { padding: 0; font-size: 11pt; color: #000000; }
  h1 { font-size: 16pt; color: #000000; }
  .table-wrap { overflow: visible; border: 0; }
  table { min-width: 0; }
  th, td { border-color: #000000; }
  thead th { background: none; color: #000000; border-bottom: 2px solid #000000; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; break-inside: avoid; }
  tbody tr:nth-child(even) { background: none; }
}
"""


_CELL_CLASSES = ("scope", "date", "date", "date", "unit")


def to_html(con: Connection, year: int, semester: int, generated_at: datetime) -> str:
    """The page to put on the school website: every stored row of the semester, dates in ROC
    with the weekday, a note on how a 部別 row relates to the 全校 row."""
    e = html.escape
    heading = title(year, semester)
    found = published_rows(con, year, semester)
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in COLUMNS)
    body: list[str] = []
    for division, entry in found:
        phase, *rest = _cells(division, entry)
        tds = "".join(
            f'<td class="{cls}" data-label="{e(label)}">{e(value)}</td>'
            for cls, label, value in zip(_CELL_CLASSES, COLUMNS[1:], rest, strict=True)
        )
        body.append(f'<tr><th scope="row">{e(phase)}</th>{tds}</tr>')
    if not body:
        body.append(f'<tr><td colspan="{len(COLUMNS)}">本學期尚未訂定作業期程。</td></tr>')
    stamp = roc_datetime(generated_at)
    caption = f"{year}學年度第{semester}學期 作業期程（共 {len(found)} 列）"
    return "\n".join(
        [
            "<!doctype html>",
            '<html lang="zh-Hant-TW">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(heading)}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            "<main>",
            f"<h1>{e(heading)}</h1>",
            "<p>依本校學生學習歷程檔案作業補充規定第五點公告各項作業之起迄時間及自我檢核時間。"
            "日期為民國年/月/日，括號內為星期；開始與結束日期當日均包含在內。</p>",
            '<p class="note">適用部別為「全校」者，日間部與進修部皆依該列辦理；'
            "另列日間部或進修部者，該部依其所列日期辦理。</p>",
            f'<div class="table-wrap" role="region" aria-label="{e(caption)}" tabindex="0">',
            "<table>",
            f"<caption>{e(caption)}</caption>",
            f"<thead><tr>{head}</tr></thead>",
            "<tbody>",
            *body,
            "</tbody>",
            "</table>",
            "</div>",
            "</main>",
            f"<footer><p>資料產生時間：{e(stamp)}</p></footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


# --- iCalendar --------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash, semicolon, comma and newline are escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at FOLD_OCTETS UTF-8 octets (continuations start with one space),
    never inside a multi-byte character."""
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, FOLD_OCTETS
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, FOLD_OCTETS - 1  # the leading space takes one octet
        current.append(ch)
        size += n
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _ics_date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _event(uid: str, stamp: str, start: date, end: date, summary: str, description: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_ics_date(start)}",
        # DTEND is exclusive (RFC 5545 3.6.1): the inclusive end day needs the day after it.
        f"DTEND;VALUE=DATE:{_ics_date(end + timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        "TRANSP:TRANSPARENT",  # an all-day phase should not show people as busy
        "END:VEVENT",
    ]


def to_ics(con: Connection, year: int, semester: int, generated_at: datetime | None = None) -> bytes:
    """One all-day event per stored row plus one per self-check date, UTF-8 with CRLF.

    `generated_at` (naive = Taiwan time) is the DTSTAMP; it defaults to the current time.
    """
    moment = generated_at or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TAIPEI)
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//portfolio-dashboard//學習歷程作業期程//ZH-TW",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(title(year, semester))}",
    ]
    for division, e in published_rows(con, year, semester):
        if e.start_date is None or e.end_date is None:
            continue
        scope = scope_label(division)
        code = f"{year}-{semester}-{_SCOPE_CODES.get(division, 'other')}-{_PHASE_CODES.get(e.phase, 'other')}"
        unit = e.unit or NOT_SET
        period = f"{roc_day(e.start_date)}至{roc_day(e.end_date)}"
        lines += _event(
            f"{code}@{UID_DOMAIN}",
            stamp,
            e.start_date,
            e.end_date,
            f"學習歷程：{e.phase}（{scope}）",
            f"期間：{period}\n負責單位：{unit}\n自我檢核日期：{roc_day(e.self_check_date)}",
        )
        if e.self_check_date is not None:
            lines += _event(
                f"{code}-selfcheck@{UID_DOMAIN}",
                stamp,
                e.self_check_date,
                e.self_check_date,
                f"自我檢核：{e.phase}（{scope}）",
                f"「{e.phase}」（{period}）的自我檢核（補充規定第五點）。\n負責單位：{unit}",
            )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


# --- Excel ------------------------------------------------------------------------------


def frame(con: Connection, year: int, semester: int) -> pd.DataFrame:
    """The published table: the HTML page's columns and text, one row per stored row."""
    data = [_cells(division, e) for division, e in published_rows(con, year, semester)]
    return pd.DataFrame(data, columns=list(COLUMNS))


def to_xlsx(con: Connection, year: int, semester: int) -> bytes:
    return exports.to_xlsx({SHEET: frame(con, year, semester)})
