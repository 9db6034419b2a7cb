"""The 會議紀錄 export: two meetings saved through meetings.save into a real DuckDB file, read
back as .docx (python-docx) and PDF (poppler's pdftotext and pdftoppm)."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from docx import Document

from dashboard import auth, db, exports
from dashboard.documents import minutes
from dashboard.records import committee, meetings

USER = auth.User("secretary", "執行秘書", "執行秘書")
YEAR = 114
# One name per seat; each is unique and none is a part of another, so `in` checks are exact.
NAMES = (
    "王校長", "陳教務", "林學務", "黃實習", "張進修", "李輔導", "吳圖書", "劉諮詢", "蔡註冊", "楊教學",
    "許設備", "鄭生輔", "謝訓育", "郭活動", "洪實組", "曾就業", "邱進教", "廖導師", "賴教師", "周家長",
    "葉學生",
)  # fmt: skip
LONG = "為落實學生學習歷程檔案之上傳與認證，" * 8  # wraps over several lines in both formats
REPORT = meetings.Item(
    "報告事項",
    "114學年度第1學期學習歷程檔案作業期程",
    explanation="一、課程學習成果上傳截止日為115年1月20日。\n二、教師認證截止日為115年1月27日。",
    decision="洽悉。",
    topics=["作業期程及分工權責"],
)
MOTION = meetings.Item(
    "討論事項",
    "訂定本學年度課程學習成果認證獎勵方式案",
    explanation=LONG,
    decision="照案通過，由教務處於期限內公告。",
    topics=["成效評核及獎勵", "其他推動及宣導事項"],
    votes_for=15,
    votes_against=1,
    votes_abstain=2,
    owner_unit="教務處",
    due_date=date(2025, 10, 31),
    metric_key="upload_rate",
    metric_year=114,
    metric_semester=1,
    metric_target=0.95,
)
EXTRA = meetings.Item(
    "臨時動議",
    "增辦學生平臺操作說明會案",
    decision="請圖書館於10月辦理。",
    topics=["學生訓練教師研習及親師說明會"],
    owner_unit="圖書館",
)


def _attendance() -> list[meetings.Attendance]:
    special = {5: ("請假", ""), 9: ("代理", "蘇志明"), 12: ("缺席", ""), 13: ("請假", "")}
    return [
        meetings.Attendance(s.seat_no, NAMES[s.seat_no - 1], *special.get(s.seat_no, ("出席", "")))
        for s in committee.SEATS
    ]


@dataclass
class Built:
    con: duckdb.DuckDBPyConnection
    first: meetings.Meeting  # confirmed, with every section
    second: meetings.Meeting  # draft, reporting on the first's resolutions, no 臨時動議


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    con = db.connect(tmp_path_factory.mktemp("minutes") / "x.duckdb")
    draft = meetings.MeetingDraft(
        school_year=YEAR,
        semester=1,
        sequence_no=1,
        held_on=date(2025, 9, 10),
        start_time="14:00",
        end_time="15:30",
        place="行政大樓三樓會議室",
        chair="王校長",
        recorder="蔡註冊",
        attendance=_attendance(),
        guests=[meetings.Guest("何資訊", "資訊組長"), meetings.Guest("沈顧問")],
        items=[REPORT, MOTION, EXTRA],
    )
    saved = meetings.save(con, draft, USER)
    first = meetings.confirm(con, saved.meeting_id, USER, saved.version)
    later = meetings.blank_draft(con, YEAR, 1, date(2025, 11, 12))
    assert [f.item_id for f in later.follow_ups] == [i.item_id for i in first.items[1:]]
    later.follow_ups[0] = replace(later.follow_ups[0], status="執行中", note="獎勵要點草案已送行政會議")
    later.follow_ups[1] = replace(later.follow_ups[1], status="已完成", note="10月15日已辦理")
    later.place, later.chair, later.recorder = "圖書館會議室", "陳教務", "蔡註冊"
    later.attendance = _attendance()
    later.items = [replace(MOTION, title="修正學習歷程檔案補充規定案", due_date=None, votes_for=None)]
    second = meetings.save(con, later, USER)
    try:
        yield Built(con, first, second)
    finally:
        con.close()


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def pdfs(built: Built, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    paths = {}
    for key, m in (("first", built.first), ("second", built.second)):
        paths[key] = folder / f"{key}.pdf"
        paths[key].write_bytes(minutes.minutes_pdf(built.con, m.meeting_id))
    return paths


def _expected_first() -> list[str]:
    return [
        "國立新竹高級工業職業學校",
        "114學年度第1學期第1次工作小組會議紀錄",
        "時間：114年9月10日（星期三）下午2時00分",
        "地點：行政大樓三樓會議室",
        "主席：王校長",
        "紀錄：蔡註冊",
        "出席：校長王校長、教務主任陳教務",
        "註冊組長蔡註冊（蘇志明代理）",
        "（共 18 人）",
        "列席：何資訊（資訊組長）、沈顧問",
        "請假：進修部主任張進修、訓育組長謝訓育",
        "缺席：生輔組長鄭生輔",
        "應出席 21 人，實到 18 人，已達法定人數",
        "壹、報告事項",
        "一、報告主題：114學年度第1學期學習歷程檔案作業期程",
        "課程學習成果上傳截止日為115年1月20日。",
        "決定：洽悉。",
        "貳、討論事項",
        "第一案",
        "案由：訂定本學年度課程學習成果認證獎勵方式案",
        "說明：" + LONG,
        "決議：照案通過，由教務處於期限內公告。",
        "表決：贊成 15 票、反對 1 票、棄權 2 票",
        "負責單位：教務處",
        "執行期限：114年10月31日",
        "追蹤指標：114學年度第1學期成果上傳率達 95%",
        "工作事項：成效評核及獎勵、其他推動及宣導事項",
        "參、臨時動議",
        "案由：增辦學生平臺操作說明會案",
        "決議：請圖書館於10月辦理。",
        "肆、散會：下午3時30分",
    ]


def test_chinese_numbers_and_clock() -> None:
    assert [minutes.chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 99)] == [
        "一", "九", "十", "十一", "二十", "二十一", "九十九",
    ]  # fmt: skip
    assert [minutes.chinese_number(n, formal=True) for n in (1, 3, 4, 10, 12)] == [
        "壹", "參", "肆", "拾", "拾貳",
    ]  # fmt: skip
    for bad in (0, 100):
        with pytest.raises(ValueError):
            minutes.chinese_number(bad)
    assert [minutes.clock(t) for t in ("08:05", "12:30", "14:00", "")] == [
        "上午8時05分", "中午12時30分", "下午2時00分", "（未填）",
    ]  # fmt: skip


def test_file_names(built: Built) -> None:
    assert minutes.file_name(built.first, "docx") == "114學年度第1學期第1次工作小組會議紀錄.docx"
    assert minutes.file_name(built.first, ".pdf") == "114學年度第1學期第1次工作小組會議紀錄.pdf"
    assert minutes.file_name(built.second, "pdf") == "114學年度第1學期第2次工作小組會議紀錄（草稿）.pdf"


def test_docx_of_confirmed_minutes(built: Built) -> None:
    data = minutes.minutes_docx(built.con, built.first.meeting_id)
    doc = Document(io.BytesIO(data))
    text = _docx_text(data)
    for expected in _expected_first():
        assert expected in text, expected
    assert "課程學習成果上傳截止日為115年1月20日。\n二、教師認證截止日" in text  # line break kept
    assert "草稿" not in text and "上次會議決議執行情形" not in text
    assert not doc.tables
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        minutes.DOCX_FONT
    )
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_docx_of_draft_with_follow_ups(built: Built) -> None:
    data = minutes.minutes_docx(built.con, built.second.meeting_id)
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[:3] == [
        "國立新竹高級工業職業學校",
        "114學年度第1學期第2次工作小組會議紀錄",
        "（草稿，尚未確認）",
    ]
    assert "壹、上次會議決議執行情形" in paragraphs
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0] == list(minutes.FOLLOW_UP_HEADER)
    assert rows[1] == [
        "訂定本學年度課程學習成果認證獎勵方式案\n（114學年度第1學期第1次會議）",
        "照案通過，由教務處於期限內公告。",
        "教務處\n期限 114/10/31",
        "執行中",
        "獎勵要點草案已送行政會議",
    ]
    assert rows[2][0].startswith("增辦學生平臺操作說明會案") and rows[2][3:] == ["已完成", "10月15日已辦理"]
    # No 臨時動議 in this meeting: the section says so, then the meeting ends.
    i = paragraphs.index("肆、臨時動議")
    assert paragraphs[i + 1 : i + 3] == ["無", "伍、散會：（未填）"]
    assert paragraphs[paragraphs.index("貳、報告事項") + 1] == "無"
    # Only the counts that were recorded: no 贊成 count was entered, so none is printed.
    assert "表決：反對 1 票、棄權 2 票" in paragraphs


def test_pdf_says_what_the_docx_says(built: Built, pdfs: dict[str, Path]) -> None:
    first = _flat(_pdftotext(pdfs["first"]))
    for expected in _expected_first():
        assert _flat(expected) in first, expected
    assert "草稿" not in first and "第1頁" in first
    second = _flat(_pdftotext(pdfs["second"]))
    for expected in (
        "（草稿，尚未確認）",
        "壹、上次會議決議執行情形",
        "案由決議負責單位執行情形說明",
        "獎勵要點草案已送行政會議",
        "10月15日已辦理",
        "肆、臨時動議無伍、散會：（未填）",
    ):
        assert _flat(expected) in second, expected
    # Every string of the shared content is in both files, so the formats cannot drift apart.
    for key, m in (("first", built.first), ("second", built.second)):
        docx_text = _flat(_docx_text(minutes.minutes_docx(built.con, m.meeting_id)))
        pdf_text = _flat(_pdftotext(pdfs[key]))
        content = minutes.content(built.con, m.meeting_id)
        for piece in _pieces(content):
            assert _flat(piece) in docx_text and _flat(piece) in pdf_text, piece
        for cell in (cell for s in content.sections for row in s.table for cell in row):
            # pdftotext reads a table line by line across its columns, so a wrapped cell comes
            # back interleaved with its neighbours, its own characters still in order.
            assert _flat(cell) in docx_text and _in_order(_flat(cell), pdf_text), cell


def _pieces(m: minutes.Minutes) -> list[str]:
    out = [m.school, m.title, m.quorum, *(f"{f.label}：{f.text}" for f in m.header)]
    for s in m.sections:
        out += [s.heading, s.text]
        for e in s.entries:
            out += [e.heading, *(f"{f.label}：{f.text}" for f in e.fields)]
    return [p for p in out if p]


def _in_order(needle: str, haystack: str) -> bool:
    rest = iter(haystack)
    return all(ch in rest for ch in needle)


def test_pdf_renders_as_a4_pages(pdfs: dict[str, Path], tmp_path: Path) -> None:
    head = pdfs["second"].read_bytes()[:5]
    assert head == b"%PDF-"
    info = subprocess.run(["pdfinfo", str(pdfs["first"])], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)", info), info
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdfs["second"]), str(tmp_path / "p")],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    assert png.stat().st_size > 10_000


def test_quorum_not_met_and_empty_sections(built: Built) -> None:
    absent = [replace(a, attendance="請假") if a.seat_no > 10 else a for a in _attendance()]
    draft = meetings.MeetingDraft(
        YEAR, 1, 3, date(2025, 12, 3), "10:00", "", "會議室", "王校長", "蔡註冊", absent
    )
    saved = meetings.save(built.con, draft, USER)
    m = minutes.content(built.con, saved.meeting_id)
    assert m.draft
    assert m.quorum == "應出席 21 人，實到 9 人，未達法定人數（11 人）。"
    assert [(s.heading, s.text) for s in m.sections] == [
        ("壹、報告事項", "無"),
        ("貳、討論事項", "無"),
        ("參、臨時動議", "無"),
        ("肆、散會：（未填）", ""),
    ]
    assert m.header[0].text == "114年12月3日（星期三）上午10時00分"


def test_text_pasted_from_word_keeps_its_line_breaks(built: Built) -> None:
    pasted = replace(REPORT, explanation="第一行\r\n第二行\x0b第三行\x07", decision="")
    draft = meetings.MeetingDraft(
        YEAR,
        1,
        4,
        date(2025, 12, 17),
        "14:00",
        "",
        "會議室",
        "王校長",
        "蔡註冊",
        _attendance(),
        items=[pasted],
    )
    saved = meetings.save(built.con, draft, USER)
    paragraphs = [
        p.text for p in Document(io.BytesIO(minutes.minutes_docx(built.con, saved.meeting_id))).paragraphs
    ]
    assert "說明：第一行\n第二行\n第三行" in paragraphs
    assert not any(p.startswith("決定") for p in paragraphs)  # an empty 決定 of a 報告事項 is left out


# --- 機密 and the exporter (issue [8/11] build 4) --------------------------------------------

STAMP = exports.Stamp("蔡註冊（註冊組）", datetime(2026, 12, 4, 10, 32), datetime(2026, 11, 16, 8, 0))


def test_minutes_built_for_a_user_say_confidential_and_who_exported_them(
    built: Built, tmp_path: Path
) -> None:
    line = "機密｜蔡註冊（註冊組）於 115/12/04 10:32 匯出｜資料截至 115/11/16 08:00"
    assert STAMP.line() == line
    with exports.stamped(STAMP):
        pdf = minutes.minutes_pdf(built.con, built.first.meeting_id)
        docx = minutes.minutes_docx(built.con, built.first.meeting_id)
    path = tmp_path / "stamped.pdf"
    path.write_bytes(pdf)
    pages = _pdftotext(path).split("\f")
    pages = [p for p in pages if p.strip()]
    assert pages and all(_flat(line) in _flat(p) for p in pages)  # on every page
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert "蔡註冊（註冊組）" in info and "機密" in info
    doc = Document(io.BytesIO(docx))
    assert doc.sections[0].header.paragraphs[0].text == line
    assert (doc.core_properties.author, doc.core_properties.keywords) == ("蔡註冊（註冊組）", "機密")
    # built outside a user's download (the command line, a test) they carry no stamp
    plain = Document(io.BytesIO(minutes.minutes_docx(built.con, built.first.meeting_id)))
    assert plain.sections[0].header.paragraphs[0].text == ""
