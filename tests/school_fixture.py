"""Tiny hand-made schools for the metric tests: insert a few rows, assert figures done by hand.

Each helper inserts one row with defaults a test does not care about, straight into a real
migrated DuckDB (the `con` fixture); values are bound, never formatted into the SQL. Dates and
times are plain `date` / `datetime` (local time, like the imports).
"""

from __future__ import annotations

import itertools
from datetime import date, datetime

import duckdb

Con = duckdb.DuckDBPyConnection
_ids = itertools.count(1)


def student(
    con: Con,
    no: str,
    year: int = 113,
    semester: int = 1,
    *,
    division: str = "日間部",
    status: str = "在學",
    department: str = "機械科",
    class_name: str = "機一甲",
    grade: int = 1,
    seat_no: int | None = None,
    graduation_year: int | None = None,
) -> None:
    con.execute(
        "insert into students (school_year, semester, division, student_no, name, department, grade,"
        " class_name, seat_no, status, graduation_year)"
        " values ($y, $s, $d, $no, $name, $dep, $g, $c, $seat, $st, $gy)",
        {
            "y": year,
            "s": semester,
            "d": division,
            "no": no,
            "name": f"學生{no}",
            "dep": department,
            "g": grade,
            "c": class_name,
            "seat": seat_no,
            "st": status,
            "gy": graduation_year,
        },
    )


def staff(
    con: Con,
    code: str,
    name: str,
    unit: str = "機械科",
    *,
    status: str = "在職",
    disabled_on: date | None = None,
) -> None:
    con.execute(
        "insert into staff (staff_code, name, unit, employment_status, account_disabled_on)"
        " values ($c, $n, $u, $st, $off)",
        {"c": code, "n": name, "u": unit, "st": status, "off": disabled_on},
    )


def outcome(
    con: Con,
    student_no: str,
    teacher: str = "T01",
    status: str = "未送出",
    certified_at: datetime | None = None,
    *,
    year: int = 113,
    semester: int = 1,
    certifier: str | None = None,
    selected: bool = False,
    outcome_id: str | None = None,
    submitted_at: datetime | None = None,
    fail_reason: str | None = None,
    subject: str | None = None,
) -> str:
    """One 課程學習成果 row; a decided row defaults its 認證人 to the teacher (no proxy).

    A row sent for certification is sent on Dec 2 of the year unless `submitted_at` says when.
    """
    oid = outcome_id or f"O{next(_ids):06d}"
    decided = status in ("通過", "未通過")
    con.execute(
        "insert into outcomes (outcome_id, school_year, semester, student_no, course_code, teacher_code,"
        " uploaded_at, submitted_at, cert_status, certified_at, certifier_code, fail_reason, subject_name,"
        " outcome_type, selected)"
        " values ($id, $y, $s, $no, 'C001', $t, $up, $sub, $st, $cert, $by, $why, $subj, '學期', $sel)",
        {
            "id": oid,
            "y": year,
            "s": semester,
            "no": student_no,
            "t": teacher,
            "up": datetime(year + 1911, 12, 1, 9, 0),
            "sub": None if status == "未送出" else submitted_at or datetime(year + 1911, 12, 2, 9, 0),
            "st": status,
            "cert": certified_at,
            "by": (certifier or teacher) if decided else None,
            "why": fail_reason,
            "subj": subject,
            "sel": selected,
        },
    )
    return oid


def diverse(
    con: Con,
    student_no: str,
    year: int = 113,
    *,
    semester: int | None = None,
    selected: bool = False,
    category: str = "競賽參與紀錄",
) -> None:
    con.execute(
        "insert into diverse (item_id, school_year, semester, student_no, category, uploaded_at, selected)"
        " values ($id, $y, $s, $no, $cat, $up, $sel)",
        {
            "id": f"D{next(_ids):06d}",
            "y": year,
            "s": semester,
            "no": student_no,
            "cat": category,
            "up": datetime(year + 1911, 10, 1, 9, 0),
            "sel": selected,
        },
    )


def counselling(con: Con, student_no: str, on: date, year: int = 113, semester: int = 1) -> None:
    con.execute(
        "insert into counselling (school_year, semester, student_no, counsellor_code, counselled_on)"
        " values ($y, $s, $no, 'T90', $on)",
        {"y": year, "s": semester, "no": student_no, "on": on},
    )


def schedule(
    con: Con,
    phase: str,
    end: date,
    year: int = 113,
    semester: int = 1,
    *,
    division: str | None = None,
) -> None:
    con.execute(
        "insert into schedule (school_year, semester, division, phase, start_date, end_date)"
        " values ($y, $s, $d, $p, $start, $end)",
        {"y": year, "s": semester, "d": division, "p": phase, "start": date(year + 1911, 8, 1), "end": end},
    )


def receipt(
    con: Con,
    student_no: str,
    roster: str,
    status: str,
    *,
    year: int = 113,
    semester: int = 0,
    confirmed_at: datetime | None = None,
    answered_at: datetime | None = None,
    notice: str = "平臺",
) -> None:
    con.execute(
        "insert into receipts (school_year, semester, roster, student_no, status, confirmed_at,"
        " answered_at, notice_method) values ($y, $s, $r, $no, $st, $conf, $ans, $n)",
        {
            "y": year,
            "s": semester,
            "r": roster,
            "no": student_no,
            "st": status,
            "conf": confirmed_at,
            "ans": answered_at,
            "n": notice,
        },
    )


def submission(
    con: Con,
    roster: str,
    submitted_at: datetime,
    *,
    division: str = "日間部",
    year: int = 113,
    semester: int = 1,
    batch: int = 1,
    result: str = "成功",
) -> None:
    con.execute(
        "insert into submissions (school_year, semester, division, roster, batch, unit, submitted_at,"
        " result) values ($y, $s, $d, $r, $b, '教務處註冊組', $at, $res)",
        {
            "y": year,
            "s": semester,
            "d": division,
            "r": roster,
            "b": batch,
            "at": submitted_at,
            "res": result,
        },
    )


def training(con: Con, kind: str, held_on: date, *, year: int = 113, division: str | None = None) -> None:
    con.execute(
        "insert into trainings (school_year, held_on, kind, title, division) values ($y, $on, $k, $t, $d)",
        {"y": year, "on": held_on, "k": kind, "t": f"場次{next(_ids)}", "d": division},
    )


def meeting(con: Con, held_on: date, year: int = 113, semester: int = 1) -> None:
    con.execute(
        "insert into meetings (school_year, semester, session_label, held_on, created_at)"
        " values ($y, $s, $label, $on, $now)",
        {"y": year, "s": semester, "label": f"第{next(_ids)}次", "on": held_on, "now": datetime(2025, 1, 1)},
    )


def rule(con: Con, key: str, value: float, effective_from_year: int) -> None:
    con.execute(
        "insert into rules (key, value, effective_from_year, source) values ($k, $v, $y, 'test')",
        {"k": key, "v": value, "y": effective_from_year},
    )


def small_school(con: Con) -> None:
    """A few rows in every table, so every query in queries/ has something to join."""
    for no, division, cls in (("S01", "日間部", "機一甲"), ("S02", "進修部", "進機一")):
        for sem in (1, 2):
            student(con, no, 113, sem, division=division, class_name=cls)
    student(con, "S03", 113, 1, status="休學")
    staff(con, "T01", "王大明")
    con.execute(
        "insert into course_offerings (school_year, semester, division, course_code, subject_name,"
        " class_name, teacher_code) values (113, 1, '日間部', 'C001', '機械製造', '機一甲', 'T01')"
    )
    outcome(con, "S01", "T01", "通過", datetime(2025, 2, 1, 10, 0), selected=True)
    outcome(con, "S02", "T01", "認證中", semester=2)
    outcome(con, "S03", "T01", "未通過", datetime(2025, 2, 1, 10, 0), certifier="R01")
    diverse(con, "S01", selected=True)
    diverse(con, "S02", semester=2)
    con.execute(
        "insert into cadres (school_year, semester, student_no, cadre_level, unit_name, position)"
        " values (113, 1, 'S01', '班級', '機一甲', '班長')"
    )
    counselling(con, "S01", date(2024, 10, 1))
    schedule(con, "教師認證", date(2025, 2, 7))
    schedule(con, "學校提交", date(2025, 9, 10), semester=2, division="日間部")
    receipt(
        con,
        "S01",
        "課程學習成果",
        "回報錯誤",
        confirmed_at=datetime(2025, 9, 1),
        answered_at=datetime(2025, 9, 2),
    )
    submission(con, "課程學習成果", datetime(2025, 9, 1, 10, 0), semester=0)
    training(con, "宣導說明", date(2024, 9, 1))
    meeting(con, date(2024, 9, 15))


def semester_school(con: Con) -> None:
    """The school of 113-1 the per-semester tests count by hand.

    Rule outcome_upload_cap_per_semester = 3 from 113, so S01 (4 rows) is over it.

    | 學號 | 部別 | 學籍 | 科別 班級 | 課程學習成果 of 113-1 (teacher) |
    |---|---|---|---|---|
    | S01 | 日間部 | 在學 | 機械科 機一甲 | o1 通過 02-07 23:59:59 (T01) · o2 未通過 02-08 00:00:00 (T01) |
    |     |        |      |               | o3 認證中 (T01) · o4 未送出 (T02) |
    | S02 | 日間部 | 在學 | 機械科 機一乙 | o5 通過 01-20, certified by R01 for T02 (proxy) |
    | S03 | 日間部 | 休學 | | o7 通過: inactive, left out |
    | S04 | 進修部 | 在學 | 電機科 進電一 | o6 通過 02-10 10:00 (T01), 認證人 not set |
    | S05 | 日間部 | 轉出 | | o9 通過: inactive |
    | S06 | 日間部 | 畢業 | | none |
    | S07 | 進修部 | 復學 | 電機科 進電一 | none |
    | X99 | not on the roster | | | o8 通過: orphan |

    教師認證 of 113-1 ends 2025-02-07 (empty 部別) and 2025-02-14 for 進修部 (overrides it), so
    o1 is on time (last second of the day), o2 is late (first second of the next), and o6 is on
    time only because the 進修部 row overrides the general one. Counselling in 113-1: S01 twice,
    S04, S03 (inactive), X99 (orphan); S02 only in 113-2. Meetings: 2024-07-31 (112-2),
    2024-08-01 and 2025-01-31 (113-1), 2025-02-01 (113-2).
    """
    rule(con, "outcome_upload_cap_per_semester", 3, 113)
    student(con, "S01", class_name="機一甲")
    student(con, "S02", class_name="機一乙")
    student(con, "S03", status="休學")
    student(con, "S04", division="進修部", department="電機科", class_name="進電一")
    student(con, "S05", status="轉出")
    student(con, "S06", status="畢業")
    student(con, "S07", division="進修部", status="復學", department="電機科", class_name="進電一")
    staff(con, "T01", "王大明")
    schedule(con, "教師認證", date(2025, 2, 7))
    schedule(con, "教師認證", date(2025, 2, 14), division="進修部")
    schedule(con, "學生上傳課程學習成果", date(2025, 1, 31))  # another phase: must not be used
    outcome(con, "S01", "T01", "通過", datetime(2025, 2, 7, 23, 59, 59))  # o1 on time
    outcome(con, "S01", "T01", "未通過", datetime(2025, 2, 8, 0, 0, 0))  # o2 late
    outcome(con, "S01", "T01", "認證中")  # o3
    outcome(con, "S01", "T02", "未送出")  # o4
    outcome(con, "S02", "T02", "通過", datetime(2025, 1, 20, 9, 0), certifier="R01")  # o5 proxy
    o6 = outcome(con, "S04", "T01", "通過", datetime(2025, 2, 10, 10, 0))  # on time for 進修部
    con.execute("update outcomes set certifier_code = null where outcome_id = $id", {"id": o6})
    outcome(con, "S03", "T01", "通過", datetime(2025, 1, 10))  # o7 inactive (休學)
    outcome(con, "X99", "T01", "通過", datetime(2025, 1, 10))  # o8 orphan
    outcome(con, "S05", "T01", "通過", datetime(2025, 1, 10))  # o9 inactive (轉出)
    counselling(con, "S01", date(2024, 10, 1))
    counselling(con, "S01", date(2024, 11, 1))
    counselling(con, "S04", date(2024, 10, 2))
    counselling(con, "S03", date(2024, 10, 3))  # inactive
    counselling(con, "X99", date(2024, 10, 4))  # orphan
    counselling(con, "S02", date(2025, 3, 1), semester=2)  # another semester
    meeting(con, date(2024, 7, 31))  # 112-2
    meeting(con, date(2024, 8, 1))  # first day of 113-1
    meeting(con, date(2025, 1, 31))  # last day of 113-1
    meeting(con, date(2025, 2, 1), semester=2)  # first day of 113-2


TEACHER_AS_OF = datetime(2025, 1, 20, 8, 0)  # 資料截至 of teacher_school


def teacher_school(con: Con) -> None:
    """The 113-1 school the 教師認證 tests count by hand; 資料截至 = TEACHER_AS_OF (2025-01-20 08:00).

    教師認證 ends 2025-02-07 (empty 部別; 18 days after 資料截至) and 2025-02-10 for 進修部 (21).

    | 學號 | 部別 | 學籍 | 班級 座號 | 姓名 |
    |---|---|---|---|---|
    | S01 | 日間部 | 在學 | 機一甲 1 | 王小明 |
    | S02 | 日間部 | 在學 | 機一乙 (座號 unknown) | 李華 |
    | S03 | 進修部 | 在學 | 進機一 3 | =HYPERLINK("x") (formula-like: must be neutralised) |
    | S04 | 日間部 | 休學 | 機一甲 | 趙六: inactive, left out |
    | X99 | not on the roster: orphan, left out | | | |

    Teachers and their 課程學習成果 of 113-1 (age in days as of 2025-01-20 in brackets):
    - T01 王大明 機械科, 在職. 認證中 by S01 sent 01-13 23:59 (7), 01-12 00:00 (8), 01-06 (14),
      01-05 (15); by S03 with no 送出認證時間 (age unknown). S01: 通過 01-10, 未通過 01-11 (03),
      未通過 01-12 (01), 未通過 without a reason, 未送出. S02: 通過 01-15 by R01 (proxy).
      S04 認證中 (inactive) and X99 認證中 (orphan) are left out.
    - T02 李小華 電機科, 離職, account closed 2025-01-20 (the day of 資料截至): 認證中 by S01
      01-02 (18), by S03 01-10 (10) and 01-18 (2): flagged, both units.
    - T03 歐陽明 國文科, 退休, account closes 2025-02-03 (in 14 days): 認證中 by S02 01-14 (6).
    - T04 陳美 英文科, 留職停薪, account closes 2025-02-04 (in 15 days): 認證中 by S03 01-15 (5).
    - T05, not in 教職員名冊: 認證中 by S02 01-19 (1).
    - T06 張三 數學科, 離職: S01 通過 01-08 only; nothing pending, so not flagged.
    """
    student(con, "S01", class_name="機一甲", seat_no=1)
    student(con, "S02", class_name="機一乙")
    student(con, "S03", division="進修部", class_name="進機一", seat_no=3)
    student(con, "S04", class_name="機一甲", status="休學")
    for no, name in (("S01", "王小明"), ("S02", "李華"), ("S03", '=HYPERLINK("x")'), ("S04", "趙六")):
        con.execute("update students set name = $n where student_no = $no", {"n": name, "no": no})
    staff(con, "T01", "王大明", "機械科")
    staff(con, "T02", "李小華", "電機科", status="離職", disabled_on=date(2025, 1, 20))
    staff(con, "T03", "歐陽明", "國文科", status="退休", disabled_on=date(2025, 2, 3))
    staff(con, "T04", "陳美", "英文科", status="留職停薪", disabled_on=date(2025, 2, 4))
    staff(con, "T06", "張三", "數學科", status="離職")
    schedule(con, "教師認證", date(2025, 2, 7))
    schedule(con, "教師認證", date(2025, 2, 10), division="進修部")

    def sent(day: int, hour: int = 9, minute: int = 0) -> datetime:
        return datetime(2025, 1, day, hour, minute)

    pending = "認證中"
    outcome(con, "S01", "T01", pending, submitted_at=sent(13, 23, 59), subject="機械製造")
    outcome(con, "S01", "T01", pending, submitted_at=sent(12, 0, 0), subject="機械製造")
    outcome(con, "S01", "T01", pending, submitted_at=sent(6), subject="機械製造")
    outcome(con, "S01", "T01", pending, submitted_at=sent(5), subject="=1+1")
    unknown = outcome(con, "S03", "T01", pending, subject="機械製造")
    con.execute("update outcomes set submitted_at = null where outcome_id = $id", {"id": unknown})
    outcome(con, "S01", "T01", "通過", datetime(2025, 1, 10))
    outcome(con, "S01", "T01", "未通過", datetime(2025, 1, 11), fail_reason="03 請加強成果內容正確性")
    outcome(con, "S01", "T01", "未通過", datetime(2025, 1, 12), fail_reason="01 非本課程相關主題成果")
    outcome(con, "S01", "T01", "未通過", datetime(2025, 1, 12))
    outcome(con, "S01", "T01", "未送出")
    outcome(con, "S02", "T01", "通過", datetime(2025, 1, 15), certifier="R01")
    outcome(con, "S04", "T01", pending, submitted_at=sent(1))
    outcome(con, "X99", "T01", pending, submitted_at=sent(1))
    outcome(con, "S01", "T02", pending, submitted_at=sent(2))
    outcome(con, "S03", "T02", pending, submitted_at=sent(10))
    outcome(con, "S03", "T02", pending, submitted_at=sent(18))
    outcome(con, "S02", "T03", pending, submitted_at=sent(14))
    outcome(con, "S03", "T04", pending, submitted_at=sent(15))
    outcome(con, "S02", "T05", pending, submitted_at=sent(19))
    outcome(con, "S01", "T06", "通過", datetime(2025, 1, 8))
