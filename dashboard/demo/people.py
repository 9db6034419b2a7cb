"""The demo school's students, term by term (學生名冊).

Part of the demo generator (dashboard/demo.py). Five cohorts (entry years 111 … 115) of nine
day departments (2–3 classes of 35–40 per grade) and five 進修部 departments (one class per
grade, a few 延修 students in grade 4) move through the terms 113-1 … 115-1: a grade up each
學年度, graduation after grade 3 (進修部 延修: grade 4). Each term's roster is the register as
it stood at that term's end (115-1: at the export). The second-semester rosters of 113 and 114
are the platform's export after graduation (July): the seniors who graduated that term are
畢業, with 畢業學年度 the term's 學年度 and 異動日期 the day of the 畢業典禮. metrics.md counts
them as active in that term, so every figure is what it would be with them still 在學.

A Stint's `status` is the status the student lived the term with (a senior is 在學 until the
畢業典禮); the other demo modules draw records from it. Only the roster row says 畢業.

Status changes, drawn per term: 轉出 and 退學 (the student leaves the register), 休學 (on
leave for one term, or a year and then 復學 a year behind), 重讀 (repeating a grade from the
new 學年度), 轉入 and 借讀 (newcomers; 借讀 students go back to their own school after one or
two terms), each with 異動日期. The status applies through the rest of that 學年度, then 在學.

This module must not import streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from dashboard.demo.calendar import EXPORT_DAY, TERMS, Stream, Term, iso
from dashboard.demo.names import address, national_id, person_name, with_hkscs
from dashboard.ingest.kinds import ACTIVE_STATUSES

GRADE_CH = "一二三四"
SUFFIXES = "甲乙丙"
DAY_DIV = "日間部"
NIGHT_DIV = "進修部"


@dataclass(frozen=True)
class Dept:
    name: str
    abbr: str  # one character: 機一甲, 進電二
    code: str  # three digits inside 課程代碼
    day_classes: int  # classes per grade in 日間部
    night: bool  # has a 進修部 class per grade
    female: float  # share of girls


DEPARTMENTS: tuple[Dept, ...] = (
    Dept("機械科", "機", "301", 3, True, 0.05),
    Dept("製圖科", "圖", "302", 2, False, 0.30),
    Dept("電機科", "電", "303", 3, True, 0.08),
    Dept("電子科", "子", "304", 3, True, 0.12),
    Dept("資訊科", "資", "305", 2, False, 0.22),
    Dept("化工科", "化", "306", 2, False, 0.38),
    Dept("汽車科", "汽", "307", 3, True, 0.04),
    Dept("冷凍空調科", "冷", "308", 2, False, 0.05),
    Dept("控制科", "控", "309", 2, True, 0.10),
)


@dataclass
class Stint:
    """A student's row in one term's roster."""

    grade: int
    class_name: str
    status: str = "在學"
    changed_on: date | None = None
    seat: int = 0
    graduated: bool = False  # graduated at the end of this term: the roster row says 畢業

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES


@dataclass
class Student:
    no: str
    name: str
    gender: str
    id_no: str
    address: str
    division: str
    dept: Dept
    suffix: str  # 甲/乙/丙 in 日間部, "" in 進修部
    zero_p: float  # chance of uploading no course outcome in a term
    stints: dict[int, Stint] = field(default_factory=dict)

    def class_name(self, grade: int) -> str:
        g = GRADE_CH[grade - 1]
        return f"{self.dept.abbr}{g}{self.suffix}" if self.division == DAY_DIV else f"進{self.dept.abbr}{g}"

    def place(
        self, first: int, grade: int, status: str = "在學", on: date | None = None, top: int = 3
    ) -> None:
        """In `grade` from term `first` on, a grade up each 學年度, until it passes `top`."""
        for k in [k for k in self.stints if k >= first]:
            del self.stints[k]
        year = TERMS[first].year
        for t in TERMS[first:]:
            g = grade + t.year - year
            if g > top:
                break
            self.stints[t.index] = Stint(g, self.class_name(g), status if t.year == year else "在學", on)

    def leave(self, k: int, status: str, on: date) -> None:
        self.stints[k].status, self.stints[k].changed_on = status, on
        for later in [j for j in self.stints if j > k]:
            del self.stints[later]


def _event_day(s: Stream, k: int) -> date:
    t = TERMS[k]
    last = min(t.closing - timedelta(days=3), EXPORT_DAY - timedelta(days=2))
    return t.start + timedelta(days=7 + s.index((last - t.start).days - 6))


class _Registry:
    def __init__(self, s: Stream) -> None:
        self.s = s
        self.students: list[Student] = []
        self.ids: set[str] = set()
        self.serials: dict[tuple[int, str], int] = {}

    def serial(self, year: int, division: str) -> int:
        """Numbers for newcomers of a year: 09xx in 日間部, 89xx in 進修部."""
        key = (year, division)
        self.serials[key] = self.serials.get(key, 900 if division == DAY_DIV else 8900) + 1
        return self.serials[key]

    def new(self, no: str, division: str, dept: Dept, suffix: str) -> Student:
        s = self.s
        gender = "女" if s.chance(dept.female + (0.08 if division == NIGHT_DIV else 0.0)) else "男"
        chronic = 0.07 if division == DAY_DIV else 0.16
        st = Student(
            no,
            person_name(s, gender),
            gender,
            national_id(s, gender, self.ids),
            address(s),
            division,
            dept,
            suffix,
            0.85 if s.chance(chronic) else 0.025,
        )
        self.students.append(st)
        return st

    def settled(self, k: int, division: str) -> list[Student]:
        """Students of the division in term k whose row is untouched 在學 (event candidates)."""
        out = []
        for st in self.students:
            x = st.stints.get(k)
            if st.division == division and x is not None and x.status == "在學" and x.changed_on is None:
                out.append(st)
        return out


def build_students(s: Stream) -> list[Student]:
    reg = _Registry(s)
    for entry in range(111, 116):
        first = next(t.index for t in TERMS if t.year == max(entry, 113))
        grade = TERMS[first].year - entry + 1
        serial, night_serial = 0, 8000
        for dept in DEPARTMENTS:
            for suffix in SUFFIXES[: dept.day_classes]:
                for _ in range(s.between(35, 40)):
                    serial += 1
                    reg.new(f"{entry}{serial:04d}", DAY_DIV, dept, suffix).place(first, grade)
            if dept.night:
                for _ in range(s.between(28, 36)):
                    night_serial += 1
                    reg.new(f"{entry}{night_serial}", NIGHT_DIV, dept, "").place(first, grade)
    for k in range(len(TERMS)):
        _term_events(reg, k)
    by_number = sorted(reg.students, key=lambda x: x.no)
    for k in range(len(TERMS)):  # seats by 學號: newcomers' 09xx / 89xx numbers sit at the end
        classes: dict[str, list[Stint]] = {}
        for st in by_number:
            if k in st.stints:
                classes.setdefault(st.stints[k].class_name, []).append(st.stints[k])
        for members in classes.values():
            for seat, x in enumerate(members, start=1):
                x.seat = seat
    for st in s.sample([x for x in reg.students if x.gender == "男"], 9):
        st.name = with_hkscs(s, st.name)
    _graduate(by_number)
    return by_number


def graduation_day(t: Term) -> date:
    """畢業典禮: the Friday three to four weeks before the second semester's 休業式."""
    d = t.closing - timedelta(days=21)
    return d - timedelta(days=(d.weekday() - 4) % 7)


def _graduate(students: list[Student]) -> None:
    """Mark who graduated: a student in grade 3 or above whose last row is a second semester
    before the last term, 在籍 in it (借讀 guests go back to their own school). Draws nothing."""
    last = len(TERMS) - 1
    for st in students:
        k = max(st.stints)
        x = st.stints[k]
        if k < last and TERMS[k].sem == 2 and x.grade >= 3 and x.active and x.status != "借讀":
            x.graduated = True


def _term_events(reg: _Registry, k: int) -> None:
    s, t = reg.s, TERMS[k]
    year_start = t.sem == 1 and k > 0
    for div, (n_out, n_drop, n_leave, n_in) in ((DAY_DIV, (3, 0, 3, 2)), (NIGHT_DIV, (1, 2, 2, 1))):
        if year_start:  # repeaters and, in 進修部, seniors staying a fourth year (延修)
            repeaters = [x for x in reg.settled(k, div) if x.stints[k].grade >= 2 and (k - 1) in x.stints]
            for st in s.sample(repeaters, s.between(2, 4)):
                st.place(k, st.stints[k].grade - 1, "重讀", t.start - timedelta(days=s.between(5, 20)))
            if div == NIGHT_DIV:
                seniors = [
                    x
                    for x in reg.students
                    if x.division == div
                    and k not in x.stints
                    and (prev := x.stints.get(k - 1)) is not None
                    and prev.grade == 3
                    and prev.active
                ]
                for st in s.sample(seniors, s.between(4, 7)):
                    st.place(k, 4, top=4)
        settled = reg.settled(k, div)
        for _ in range(n_in + s.index(3)):
            host = s.pick(settled)
            newcomer = reg.new(f"{t.year}{reg.serial(t.year, div):04d}", div, host.dept, host.suffix)
            newcomer.place(k, host.stints[k].grade, "轉入", TERMS[k].start + timedelta(days=s.between(3, 40)))
        if div == DAY_DIV and t.sem == 1:
            host = s.pick(settled)
            guest = reg.new(f"{t.year}{950 + k:04d}", div, host.dept, host.suffix)
            on = t.start + timedelta(days=s.between(1, 10))
            guest.place(k, host.stints[k].grade, "借讀", on)
            guest.leave(k + 1 if s.chance(0.5) and k + 1 < len(TERMS) else k, "借讀", on)
        n_out, n_drop, n_leave = n_out + s.index(4), n_drop + s.index(3), n_leave + s.index(4)
        leaving = s.sample(settled, n_out + n_drop + n_leave)
        for st in leaving[:n_out]:
            st.leave(k, "轉出", _event_day(s, k))
        for st in leaving[n_out : n_out + n_drop]:
            st.leave(k, "退學", _event_day(s, k))
        for st in leaving[n_out + n_drop :]:
            _suspend(s, st, k)


def _suspend(s: Stream, st: Student, k: int) -> None:
    on = _event_day(s, k)
    x = st.stints[k]
    st.leave(k, "休學", on)
    away = 1 if TERMS[k].sem == 1 and s.chance(0.35) else 2  # one term, or a whole year
    for j in range(k + 1, min(k + away, len(TERMS))):
        st.stints[j] = Stint(x.grade, x.class_name, "休學", on)
    if k + away < len(TERMS):
        back = TERMS[k + away].start - timedelta(days=s.between(3, 12))
        st.place(k + away, x.grade, "復學", back)


def roster_rows(students: list[Student]) -> list[dict[str, str]]:
    rows = []
    for t in TERMS:
        for st in students:
            x = st.stints.get(t.index)
            if x is None:
                continue
            status, changed_on = ("畢業", graduation_day(t)) if x.graduated else (x.status, x.changed_on)
            rows.append(
                {
                    "學年度": str(t.year),
                    "學期": str(t.sem),
                    "部別": st.division,
                    "學號": st.no,
                    "身分證號": st.id_no,
                    "姓名": st.name,
                    "性別": st.gender,
                    "科別": st.dept.name,
                    "年級": str(x.grade),
                    "班級": x.class_name,
                    "座號": str(x.seat),
                    "學籍狀態": status,
                    "異動日期": iso(changed_on),
                    "畢業學年度": str(t.year) if x.graduated else "",
                    "通訊地址": st.address,
                }
            )
    return rows
