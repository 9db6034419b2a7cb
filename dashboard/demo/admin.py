"""The demo school's school-entered records: 幹部經歷 and 課程諮詢紀錄.

Part of the demo generator (dashboard/demo.py).
- 幹部經歷: every class's cadres each term (班長, 副班長, 學藝股長 …, 實習股長 at level 實習),
  entered by 學務處訓育組 (日間部) or 進修部學務組; the 學生會 / 進修部學生自治會 (校級, 訓育組 /
  進修部學務組) and club officers (社團, 學務處活動組), chosen per 學年度. In 115-1 a tenth of the
  classes are not entered yet at the export.
- 課程諮詢紀錄: each department has two 課程諮詢教師; each term four classes in five meet their
  counsellor as a group (團體) and some students also meet them alone (個別), so about 70% of
  the active students have a record per term (115-1: the sessions held so far).
Nothing is dated at or after the export. This module must not import streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dashboard.demo.calendar import EXPORT_DAY, EXPORT_S, TERMS, Stream, Term, iso, ts, weekday
from dashboard.demo.courses import School
from dashboard.demo.people import DAY_DIV, SUFFIXES, Student
from dashboard.demo.staff import clerks

CLASS_POSTS = (
    "班長",
    "副班長",
    "學藝股長",
    "總務股長",
    "風紀股長",
    "衛生股長",
    "康樂股長",
    "輔導股長",
    "資訊股長",
    "環保股長",
)
COUNCIL = ("會長", "副會長", "秘書長", "活動部長", "文宣部長", "公關部長", "財務部長")
CLUBS = (
    "機器人研究社",
    "電子研究社",
    "吉他社",
    "熱舞社",
    "攝影社",
    "籃球社",
    "羽球社",
    "模型社",
    "國樂社",
    "童軍團",
)


@dataclass(frozen=True)
class Cadre:
    term: Term
    student_no: str
    division: str
    level: str
    unit_name: str
    post: str
    entry_unit: str
    entered_by: str
    entered_at: int

    def row(self) -> dict[str, str]:
        return {
            "學年度": str(self.term.year),
            "學期": str(self.term.sem),
            "學號": self.student_no,
            "幹部等級": self.level,
            "單位名稱": self.unit_name,
            "擔任職務": self.post,
            "登錄單位": self.entry_unit,
            "登錄人代碼": self.entered_by,
            "登錄時間": ts(self.entered_at),
        }


def _members(school: School, k: int) -> dict[str, list[Student]]:
    """Active students of term k by class name."""
    out: dict[str, list[Student]] = {}
    for st in school.students:
        x = st.stints.get(k)
        if x is not None and x.active:
            out.setdefault(x.class_name, []).append(st)
    return out


def build_cadres(school: School, s: Stream) -> list[Cadre]:
    out: list[Cadre] = []
    officers: dict[tuple[str, str], Student] = {}  # (unit, post) -> student, kept for the 學年度
    for t in TERMS:
        members = _members(school, t.index)
        if t.sem == 1:
            officers = _officers(s, members, t.index)
        for name, group in members.items():
            c = school.classes[t.index][name]
            unit = "學務處訓育組" if c.division == DAY_DIV else "進修部學務組"
            at = s.office(t.start + timedelta(days=14), t.start + timedelta(days=45))
            if at >= EXPORT_S or (t.in_progress and s.chance(0.1)):
                continue
            posts = CLASS_POSTS[: s.between(8, 10)] if c.division == DAY_DIV else CLASS_POSTS[:6]
            clerk = s.pick(clerks(school.staff, unit)).code
            for post, st in zip(posts, s.sample(group, len(posts)), strict=False):
                out.append(
                    Cadre(t, st.no, c.division, "班級", name, post, unit, clerk, at + s.between(0, 1800))
                )
            if c.division == DAY_DIV and c.grade < 3 and group:
                out.append(
                    Cadre(t, s.pick(group).no, c.division, "實習", name, "實習股長", unit, clerk, at + 1900)
                )
        for (unit_name, post), st in officers.items():
            x = st.stints.get(t.index)
            if x is None or not x.active:
                continue
            level, unit = ("社團", "學務處活動組") if unit_name in CLUBS else ("校級", "學務處訓育組")
            if st.division != DAY_DIV:
                unit = "進修部學務組"
            at = s.office(t.start + timedelta(days=30), t.start + timedelta(days=70))
            if at < EXPORT_S:
                out.append(
                    Cadre(
                        t,
                        st.no,
                        st.division,
                        level,
                        unit_name,
                        post,
                        unit,
                        s.pick(clerks(school.staff, unit)).code,
                        at,
                    )
                )
    return out


def _officers(s: Stream, members: dict[str, list[Student]], k: int) -> dict[tuple[str, str], Student]:
    """學生會, 進修部學生自治會 and club officers for the 學年度 starting with term k."""

    def grade_of(st: Student) -> int:
        return st.stints[k].grade

    day = sorted((st for g in members.values() for st in g if st.division == DAY_DIV), key=lambda st: st.no)
    night = sorted((st for g in members.values() for st in g if st.division != DAY_DIV), key=lambda st: st.no)
    council = s.sample([st for st in day if grade_of(st) == 2], len(COUNCIL))
    chosen = {("學生會", post): st for post, st in zip(COUNCIL, council, strict=False)}
    chosen |= {("進修部學生自治會", p): st for p, st in zip(COUNCIL[:2], s.sample(night, 2), strict=False)}
    taken = {st.no for st in council}
    juniors = [st for st in day if grade_of(st) <= 2 and st.no not in taken]
    for club, pair in zip(CLUBS, _pairs(s.sample(juniors, 2 * len(CLUBS))), strict=False):
        chosen |= {(club, "社長"): pair[0], (club, "副社長"): pair[1]}
    return chosen


def _pairs(xs: list[Student]) -> list[tuple[Student, Student]]:
    return [(xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]


def cadre_rows(cadres: list[Cadre]) -> list[dict[str, str]]:
    return [c.row() for c in cadres]


def _counselling_days(s: Stream, t: Term, n: int) -> list[date]:
    first = t.start + timedelta(days=14)
    last = min(t.closing - timedelta(days=3), EXPORT_DAY - timedelta(days=1))
    span = (last - first).days
    return [min(weekday(first + timedelta(days=s.index(span))), last) for _ in range(n)]


def counselling_rows(school: School, s: Stream) -> list[dict[str, str]]:
    counsellors: dict[str, list[str]] = {}
    for p in school.staff:
        if p.counsellor:
            counsellors.setdefault(p.unit, []).append(p.code)
    rows: list[tuple[date, str, str, str, int]] = []
    for t in TERMS:
        elapsed = 1.0
        if t.in_progress:  # sessions so far, out of the whole term's
            elapsed = (EXPORT_DAY - t.start).days / (t.closing - t.start).days
        members = _members(school, t.index)
        meeting = set(s.sample(sorted(members), round(0.8 * elapsed * len(members))))
        for name, group in members.items():
            c = school.classes[t.index][name]
            mine = counsellors[c.dept.name]
            teacher = mine[(c.grade + SUFFIXES.find(name[-1])) % len(mine)]
            seen: set[tuple[str, date]] = set()
            if name in meeting:  # a group session for four classes in five
                (held,) = _counselling_days(s, t, 1)
                for st in group:
                    if s.chance(0.82):
                        seen.add((st.no, held))
                        rows.append((held, st.no, teacher, "團體", t.index))
            for st in group:
                if s.chance(0.22 * elapsed):
                    for held in _counselling_days(s, t, 2 if s.chance(0.25) else 1):
                        if (st.no, held) not in seen:
                            seen.add((st.no, held))
                            rows.append((held, st.no, teacher, "個別", t.index))
    rows.sort(key=lambda r: (r[4], r[0], r[1]))
    return [
        {
            "學年度": str(TERMS[k].year),
            "學期": str(TERMS[k].sem),
            "學號": no,
            "諮詢教師代碼": code,
            "諮詢日期": iso(held),
            "諮詢方式": how,
        }
        for held, no, code, how, k in rows
    ]
