"""The demo school's timetable: 開課資料 per term and class, and the `School` bundle.

Part of the demo generator (dashboard/demo.py). Every class takes 8–10 courses a term: the
general subjects of its grade (國語文, 英語文, 數學 …) and a window of its department's
professional subjects. Classes of one department, grade and cohort share 課程代碼 (23
characters: cohort, school code, 部別, 學制, 科別, course type, subject, grade, term,
credits). Teachers are drawn from the subject's unit, least loaded first, keep their class
for the second term of a 學年度, and stop at their last term (left, retired, on leave).
This module must not import streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.demo.calendar import TERMS, Stream
from dashboard.demo.people import (
    DAY_DIV,
    DEPARTMENTS,
    SUFFIXES,
    Dept,
    Student,
    build_students,
)
from dashboard.demo.staff import Staff, build_staff

SCHOOL_CODE = "183301"  # invented, six digits like the real 學校代碼

# (subject, unit, credits, grades) — 國英數 are taken every term, the rest fill up the count.
_GENERAL: tuple[tuple[str, str, int, str], ...] = (
    ("國語文", "國文科", 4, "123"),
    ("英語文", "英文科", 3, "123"),
    ("數學", "數學科", 3, "123"),
    ("體育", "體育科", 2, "123"),
    ("物理", "自然科", 2, "1"),
    ("化學", "自然科", 2, "12"),
    ("歷史", "社會科", 2, "1"),
    ("地理", "社會科", 2, "1"),
    ("公民與社會", "社會科", 2, "2"),
    ("全民國防教育", "藝能科", 1, "12"),
    ("健康與護理", "藝能科", 1, "2"),
    ("美術", "藝能科", 1, "1"),
    ("藝術生活", "藝能科", 2, "3"),
)
_PROFESSIONAL: dict[str, tuple[str, ...]] = {
    "機械科": (
        "機械製造",
        "機械製圖實習",
        "機械基礎實習",
        "機件原理",
        "機械力學",
        "電腦輔助製圖實習",
        "數值控制機械實習",
        "精密機械製造實習",
        "專題實作",
    ),
    "製圖科": (
        "製圖實習",
        "機械製造",
        "工程圖學",
        "機件原理",
        "電腦輔助製圖實習",
        "機械力學",
        "電腦輔助立體製圖實習",
        "機械設計製圖實習",
        "專題實作",
    ),
    "電機科": (
        "基本電學",
        "基本電學實習",
        "電工機械",
        "電子學",
        "電工實習",
        "電子學實習",
        "可程式控制實習",
        "電機控制實習",
        "專題實作",
    ),
    "電子科": (
        "基本電學",
        "基礎電子實習",
        "電子學",
        "數位邏輯設計",
        "電子學實習",
        "數位邏輯設計實習",
        "微處理機",
        "微電腦應用實習",
        "專題實作",
    ),
    "資訊科": (
        "計算機概論",
        "程式設計實習",
        "基本電學",
        "數位邏輯設計",
        "網頁設計實習",
        "電子學",
        "資料庫應用實習",
        "微處理機",
        "專題實作",
    ),
    "化工科": (
        "基礎化工",
        "普通化學實習",
        "化工裝置",
        "分析化學實習",
        "化工原理",
        "化工裝置實習",
        "有機化學",
        "化工儀器分析實習",
        "專題實作",
    ),
    "汽車科": (
        "機電概論",
        "引擎原理",
        "引擎實習",
        "底盤原理",
        "底盤實習",
        "汽車電學",
        "汽車電系實習",
        "車輛綜合檢修實習",
        "專題實作",
    ),
    "冷凍空調科": (
        "基本電學",
        "冷凍空調原理",
        "基本電學實習",
        "冷凍空調實習",
        "電工實習",
        "電子學",
        "冷凍空調工程實習",
        "空調控制實習",
        "專題實作",
    ),
    "控制科": (
        "基本電學",
        "基本電學實習",
        "電子學",
        "數位邏輯設計",
        "電子學實習",
        "機電整合實習",
        "可程式控制實習",
        "自動控制實習",
        "專題實作",
    ),
}


@dataclass(frozen=True)
class Offering:
    code: str
    subject: str
    teacher: str  # 任課教師代碼


@dataclass(frozen=True)
class SchoolClass:
    name: str
    division: str
    dept: Dept
    grade: int


@dataclass
class School:
    students: list[Student]
    staff: list[Staff]
    classes: dict[int, dict[str, SchoolClass]]  # term -> class name -> class
    offerings: dict[int, dict[str, list[Offering]]]  # term -> class name -> its courses
    staff_by_code: dict[str, Staff] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.staff_by_code = {p.code: p for p in self.staff}


def build_school(seed: int) -> School:
    students = build_students(Stream(seed, 1))
    staff = build_staff(Stream(seed, 2))
    classes: dict[int, dict[str, SchoolClass]] = {t.index: {} for t in TERMS}
    for st in students:
        for k, x in st.stints.items():
            classes[k].setdefault(x.class_name, SchoolClass(x.class_name, st.division, st.dept, x.grade))
    for k in classes:  # 進修部 first, so its part-time teachers get its courses
        classes[k] = dict(sorted(classes[k].items(), key=lambda kv: _class_order(kv[1])))
    return School(students, staff, classes, _offerings(Stream(seed, 3), staff, classes))


def _class_order(c: SchoolClass) -> tuple[bool, int, int, int]:
    return c.division == DAY_DIV, DEPARTMENTS.index(c.dept), c.grade, SUFFIXES.find(c.name[-1])


def _curriculum(s: Stream, c: SchoolClass, sem: int) -> list[tuple[str, str, int, int, str]]:
    """(subject, unit, credits, subject number, type) for one class in one term."""
    general = [(i, g) for i, g in enumerate(_GENERAL) if str(min(c.grade, 3)) in g[3]]
    core, extra = general[:3], general[3:]
    n_general = s.between(1, 2) if c.division == DAY_DIV else 1
    chosen = core + s.sample(extra, n_general)
    out = [(name, unit, credits, i + 1, "1") for i, (name, unit, credits, _) in chosen]
    subjects = _PROFESSIONAL[c.dept.name]
    window = list(enumerate(subjects))[(min(c.grade, 3) - 1) * 2 + (sem - 1) :][:6]
    for i, name in s.sample(window, s.between(4, 5)):
        out.append((name, c.dept.name, 3 if name.endswith("實習") else 2, 20 + i, "2" if i < 4 else "3"))
    return out


def course_code(c: SchoolClass, year: int, sem: int, subject_no: int, ctype: str, credits: int) -> str:
    cohort = year - c.grade + 1
    div = "1" if c.division == DAY_DIV else "2"
    cat = "A" if subject_no < 20 else "B"
    grade = min(c.grade, 3)
    return f"{cohort}{SCHOOL_CODE}{div}H{c.dept.code}0{ctype}{cat}{subject_no:02d}{grade}{sem}{credits:02d}"


def _offerings(
    s: Stream, staff: list[Staff], classes: dict[int, dict[str, SchoolClass]]
) -> dict[int, dict[str, list[Offering]]]:
    pools: dict[str, list[Staff]] = {}
    for p in staff:
        if p.domain:
            pools.setdefault(p.domain, []).append(p)
    keep: dict[tuple[int, str, str], Staff] = {}  # (year, class, subject) -> teacher of term 1
    out: dict[int, dict[str, list[Offering]]] = {}
    for t in TERMS:
        load: dict[str, int] = {}
        curricula: dict[tuple[str, str, int], list[tuple[str, str, int, int, str]]] = {}
        out[t.index] = {}
        for c in classes[t.index].values():
            key = (c.division, c.dept.name, c.grade)
            if key not in curricula:
                curricula[key] = _curriculum(s, c, t.sem)
            courses = []
            for subject, unit, credits, no, ctype in curricula[key]:
                teacher = keep.get((t.year, c.name, subject))
                if teacher is None or teacher.last_term < t.index:
                    fits = [p for p in pools[unit] if p.first_term <= t.index <= p.last_term]
                    fits = [p for p in fits if not p.night_only or c.division != DAY_DIV]
                    least = min(load.get(p.code, 0) for p in fits)
                    teacher = s.pick([p for p in fits if load.get(p.code, 0) == least])
                    keep[(t.year, c.name, subject)] = teacher
                load[teacher.code] = load.get(teacher.code, 0) + 1
                courses.append(
                    Offering(course_code(c, t.year, t.sem, no, ctype, credits), subject, teacher.code)
                )
            out[t.index][c.name] = courses
    return out


def offering_rows(school: School) -> list[dict[str, str]]:
    rows = []
    for t in TERMS:
        for c in school.classes[t.index].values():
            for o in school.offerings[t.index][c.name]:
                rows.append(
                    {
                        "學年度": str(t.year),
                        "學期": str(t.sem),
                        "部別": c.division,
                        "課程代碼": o.code,
                        "科目名稱": o.subject,
                        "班級": c.name,
                        "任課教師代碼": o.teacher,
                    }
                )
    return rows
