"""The demo school's 提交紀錄 (submissions to the central database) and 收訖確認 (receipts).

Part of the demo generator (dashboard/demo.py).
- 提交紀錄, per term and 部別: 學籍資料 early in the term; after it, inside the 學校提交 phase,
  學業成績 (教務處註冊組 / 進修部教務組) and 校內幹部經歷 (學務處訓育組 / 進修部學務組); per
  學年度 (學期 0) 課程學習成果 and 多元表現 — grades 1–2 (and 延修 grade 4) in one batch (梯次
  empty = 1), 高三 in two (梯次 1: items of semester 1, 梯次 2: semester 2). Deliberately: one
  late submission (114-1 進修部 學業成績, three days after the phase) and one 失敗 followed by a
  successful re-submission the next day (113 日間部 課程學習成果). 115-1: only its 學籍資料.
- 收訖確認, one row per student of each submitted roster: 修課紀錄 (the term's active
  students), 校內幹部經歷 (students with a cadre record), 課程學習成果 / 多元表現 (students with a
  selected item). Mostly 已確認, some 未確認, 2–5 回報錯誤 per roster, answered within 3 days
  or later; the last report of 114 is still unanswered. Seniors, gone by the receipt window
  of their last term, are notified by 紙本郵寄 in about 40% of cases.
Nothing is dated at or after the export. This module must not import streamlit.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from dashboard.demo.admin import Cadre
from dashboard.demo.calendar import DAY, EXPORT_S, HOUR, TERMS, Stream, Term, day_of, day_s, ts
from dashboard.demo.courses import School
from dashboard.demo.diverse import Item
from dashboard.demo.people import DAY_DIV, NIGHT_DIV, Student
from dashboard.demo.records import Outcome
from dashboard.demo.staff import clerks

_UNITS = {DAY_DIV: ("教務處註冊組", "學務處訓育組"), NIGHT_DIV: ("進修部教務組", "進修部學務組")}
_ERRORS: dict[str, tuple[tuple[str, str], ...]] = {
    "修課紀錄": (
        ("成績錯誤", "{subject}學期成績與成績單不符"),
        ("學分數錯誤", "{subject}學分數有誤"),
        ("缺漏科目", "缺少{subject}修課紀錄"),
    ),
    "校內幹部經歷": (("職務名稱錯誤", "擔任職務名稱與實際不符"), ("缺漏幹部經歷", "缺少社團幹部紀錄")),
    "課程學習成果": (
        ("缺漏成果", "已勾選的{subject}成果未列在收訖明細"),
        ("檔案錯誤", "{subject}成果檔案無法開啟"),
    ),
    "多元表現": (("缺漏項目", "已勾選的證照紀錄未列在收訖明細"), ("項目名稱錯誤", "競賽名稱與獎狀不符")),
}
_ANSWERS = ("經查證已更正，將於下一梯次重新提交", "經查核資料無誤，已向學生說明", "已請任課教師確認並更正")


class _Submissions:
    def __init__(self, school: School, s: Stream) -> None:
        self.school, self.s = school, s
        self.rows: list[tuple[int, dict[str, str]]] = []

    def add(
        self, t: Term, sem: int, div: str, roster: str, unit: str, at: int, n: int, batch: str = ""
    ) -> None:
        self.rows.append(
            (
                at,
                {
                    "學年度": str(t.year),
                    "學期": str(sem),
                    "部別": div,
                    "名冊別": roster,
                    "梯次": batch,
                    "提交單位": unit,
                    "提交人代碼": self.s.pick(clerks(self.school.staff, unit)).code,
                    "提交時間": ts(at),
                    "筆數": str(n),
                    "結果": "成功",
                },
            )
        )

    def fail_last(self) -> None:
        self.rows[-1][1]["結果"] = "失敗"

    def year_rosters(self, t: Term, div: str, outcomes: list[Outcome], diverse: list[Item]) -> None:
        """學期 0 rosters: grades 1–2 (and 4) in one batch, 高三 in two (semester 1, semester 2)."""
        s, registry = self.s, _UNITS[div][0]
        grade = {
            st.no: st.stints[t.index].grade
            for st in self.school.students
            if st.division == div and t.index in st.stints
        }
        picked = {
            "課程學習成果": Counter((o.student_no, o.term.sem) for o in outcomes if o.term.year == t.year),
            "多元表現": Counter((i.student_no, i.sem or 2) for i in diverse if i.year == t.year),
        }
        first, last = t.submit
        for roster, counts in picked.items():
            mine = {k: n for k, n in counts.items() if k[0] in grade}
            junior = sum(n for (no, _), n in mine.items() if grade[no] != 3)
            senior = [sum(n for (no, sem), n in mine.items() if grade[no] == 3 and sem == b) for b in (1, 2)]
            at = s.office(first, last - timedelta(days=7), 9.0, 14.0)
            if t.index == 1 and div == DAY_DIV and roster == "課程學習成果":  # failed, sent again next day
                self.add(t, 0, div, roster, registry, at, junior)
                self.fail_last()
                next_day = day_of(at) + timedelta(days=1)
                at = s.office(next_day, next_day + timedelta(days=3), 9.0, 14.0)
            self.add(t, 0, div, roster, registry, at, junior)
            self.add(t, 0, div, roster, registry, at + HOUR + s.between(0, 3600), senior[0], batch="1")
            second = s.office(day_of(at) + timedelta(days=3), t.submit[1])
            self.add(t, 0, div, roster, registry, second, senior[1], batch="2")


def submission_rows(
    school: School, s: Stream, outcomes: list[Outcome], diverse: list[Item], cadres: list[Cadre]
) -> list[dict[str, str]]:
    out = _Submissions(school, s)
    outcomes = [o for o in outcomes if o.selected]
    diverse = [i for i in diverse if i.selected]
    for t in TERMS:
        first, last = t.submit
        for div, (registry, affairs) in _UNITS.items():
            active = [
                st
                for st in school.students
                if st.division == div and (x := st.stints.get(t.index)) and x.active
            ]
            start = t.start + timedelta(days=30)
            out.add(
                t,
                t.sem,
                div,
                "學籍資料",
                registry,
                s.office(start, start + timedelta(days=14)),
                len(active),
            )
            if t.in_progress:
                continue
            grades = sum(len(school.offerings[t.index][st.stints[t.index].class_name]) for st in active)
            at = s.office(first, last - timedelta(days=4))
            if t.index == 2 and div == NIGHT_DIV:  # the late one
                at = day_s(last + timedelta(days=3)) + 10 * HOUR + 25 * 60
            out.add(t, t.sem, div, "學業成績", registry, at, grades)
            n_cadres = sum(1 for c in cadres if c.term is t and c.division == div)
            out.add(
                t,
                t.sem,
                div,
                "校內幹部經歷",
                affairs,
                s.office(first, last - timedelta(days=4)),
                n_cadres,
            )
            if t.sem == 2:
                out.year_rosters(t, div, outcomes, diverse)
    out.rows.sort(key=lambda r: r[0])
    return [r for _, r in out.rows]


def receipt_rows(
    school: School, s: Stream, outcomes: list[Outcome], diverse: list[Item], cadres: list[Cadre]
) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    by_no = {st.no: st for st in school.students}
    for t in TERMS:
        if t.in_progress:
            continue
        gone = _leaving_seniors(school, t) if t.sem == 2 else set()
        active = sorted(st.no for st in school.students if (x := st.stints.get(t.index)) and x.active)
        with_cadre = sorted({c.student_no for c in cadres if c.term is t})
        rosters = [(t.sem, "修課紀錄", active), (t.sem, "校內幹部經歷", with_cadre)]
        if t.sem == 2:
            chose = sorted({o.student_no for o in outcomes if o.selected and o.term.year == t.year})
            rosters += [(0, "課程學習成果", chose)]
            rosters += [
                (0, "多元表現", sorted({i.student_no for i in diverse if i.selected and i.year == t.year}))
            ]
        for sem, roster, students in rosters:
            rows += _receipts(school, by_no, s, t, sem, roster, students, gone)
    _leave_one_unanswered(rows)
    return rows


def _leaving_seniors(school: School, t: Term) -> set[str]:
    """Students in their last term: gone before its receipt window opens."""
    out = set()
    for st in school.students:
        x = st.stints.get(t.index)
        if x is not None and x.active and t.index + 1 not in st.stints and x.grade >= 3:
            out.add(st.no)
    return out


def _receipts(
    school: School,
    by_no: dict[str, Student],
    s: Stream,
    t: Term,
    sem: int,
    roster: str,
    students: list[str],
    gone: set[str],
) -> list[dict[str, str]]:
    opens, closes = day_s(t.receipt[0]), day_s(t.receipt[1]) + DAY
    reported = set(s.sample(students, s.between(2, 5)))
    out = []
    for no in students:
        paper = no in gone and s.chance(0.4)
        row = {
            "學年度": str(t.year),
            "學期": str(sem),
            "名冊別": roster,
            "學號": no,
            "確認狀態": "未確認",
            "確認時間": "",
            "錯誤別": "",
            "問題描述": "",
            "答覆": "",
            "答覆時間": "",
            "通知方式": "紙本郵寄" if paper else "平臺",
        }
        if no in reported or s.chance(0.6 if paper else 0.87):
            at = s.daytime(opens + int(s.u() ** (0.8 if paper else 1.6) * (closes - opens)), 8.0, 23.0)
            row["確認狀態"], row["確認時間"] = "已確認", ts(at)
            if no in reported:
                kind, question = s.pick(_ERRORS[roster])
                # every listed student is on this term's roster (year rosters: its semester 2)
                subject = s.pick(school.offerings[t.index][by_no[no].stints[t.index].class_name]).subject
                # within 3 days: the same day up to two days later (≤ 65.5 h); late: 4–9 days later
                wait = s.between(4, 9) if s.chance(0.3) else s.between(0, 2)
                answer = s.office(day_of(at) + timedelta(days=wait), day_of(at) + timedelta(days=wait))
                if answer <= at:
                    answer = at + s.between(HOUR, 3 * HOUR)
                row |= {
                    "確認狀態": "回報錯誤",
                    "錯誤別": kind,
                    "問題描述": question.format(subject=subject),
                    "答覆": s.pick(_ANSWERS),
                    "答覆時間": ts(min(answer, EXPORT_S - HOUR)),
                }
        out.append(row)
    return out


def _leave_one_unanswered(rows: list[dict[str, str]]) -> None:
    last = max((r for r in rows if r["確認狀態"] == "回報錯誤"), key=lambda r: (r["學年度"], r["確認時間"]))
    last["答覆"], last["答覆時間"] = "", ""
