"""The demo school's 課程學習成果: uploads, certification and the year's selection (勾選).

Part of the demo generator (dashboard/demo.py). Per term every active student uploads 0–6
items (about 3.4 on average; a steady few upload nothing term after term, more of them in
進修部) for the courses of their class, mostly near the deadline; a handful of students a
term upload 7–9 (over the cap of 6). Items are sent for certification within minutes or
days; a few are never sent. Teachers certify by habit: most within days and always before
the 教師認證 phase ends, some late, a few leave items pending. Items of a teacher who left
mid-term are certified by the proxy clerk in batches (認證人代碼 = the proxy). About 6% fail
with a reason code 01–04; half of those failed early enough are re-uploaded and certified.
After semester 2 students select up to 6 passed items of the year; a few select more, and a
few select an item that did not pass. 115-1 is cut at the export: nothing is dated later,
so many items are still 認證中 and nothing is selected yet.

Deliberate orphans (a 學號 not on that term's roster), as real exports have a few:
  - 2 rows in 113-2 by a student who transferred out (轉出) in 113-1: the platform account
    stayed open for a few weeks and filed the uploads under the new term;
  - 1 row in 114-1 by 1149951, a 借讀 student the 學籍 export left out.
This module must not import streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import accumulate

import numpy as np

from dashboard.demo.calendar import DAY, EXPORT_S, HOUR, TERMS, Stream, Term, secs, ts_column
from dashboard.demo.courses import Offering, School
from dashboard.demo.people import DAY_DIV
from dashboard.demo.staff import Staff
from dashboard.ingest.kinds import ENUMS

COUNT_CUM = np.cumsum((0.08, 0.14, 0.22, 0.24, 0.18, 0.14))  # 1 … 6 items
SELECT_CUM = list(accumulate((0.05, 0.07, 0.12, 0.2, 0.22, 0.34)))  # 1 … 6 selected
FAIL_REASONS = tuple(ENUMS["fail_reason"])
FAIL_CUM = np.cumsum((0.35, 0.15, 0.20, 0.30))
HABITS = ("prompt", "late", "laggard")
CERT_MEAN_DAYS = (3.0, 9.0, 14.0)  # mean days to certify, by habit
ORPHAN_GUEST = "1149951"


@dataclass
class Outcome:
    term: Term
    student_no: str
    division: str
    offering: Offering
    kind: str
    uploaded: int
    submitted: int | None = None
    status: str = "未送出"
    certified: int | None = None
    certifier: str = ""
    reason: str = ""
    selected: bool = False
    selected_at: int | None = None
    id: str = ""

    def row(self, uploaded: str, submitted: str, certified: str, selected_at: str) -> dict[str, str]:
        """The CSV row, given this item's timestamps already formatted (see outcome_rows)."""
        t = self.term
        return {
            "成果編號": self.id,
            "學年度": str(t.year),
            "學期": str(t.sem),
            "學號": self.student_no,
            "課程代碼": self.offering.code,
            "科目名稱": self.offering.subject,
            "任課教師代碼": self.offering.teacher,
            "上傳時間": uploaded,
            "送出認證時間": submitted,
            "認證狀態": self.status,
            "認證時間": certified,
            "認證人代碼": self.certifier,
            "未通過原因": self.reason,
            "成果類型": self.kind,
            "勾選": "Y" if self.selected else "N",
            "勾選時間": selected_at,
        }


@dataclass
class _Decisions:
    """What happened to a batch of uploads by the export: parallel lists, one entry per item."""

    submitted: list[int | None]
    certified: list[int | None]
    certifier: list[str]
    status: list[str]
    reason: list[str]


def _log_wait(mean: float | np.ndarray, u: np.ndarray) -> np.ndarray:
    """Exponential waiting times (seconds) with the given mean, from uniform draws."""
    wait: np.ndarray = (-mean * np.log1p(-u)).astype(np.int64)
    return wait


def _decide(
    t: Term, rng: np.random.Generator, teachers: list[Staff], night: np.ndarray, up: np.ndarray
) -> _Decisions:
    """Send for certification and certify, by each teacher's habit, as far as the export allows."""
    u = rng.random((13, len(up)))
    progress = t.in_progress
    unsent = u[0] < (0.14 if progress else 0.04)
    delay = np.where(u[1] < 0.6, 30 + (u[2] * 871).astype(np.int64), _log_wait(1.5 * DAY, u[2]))
    sub = np.minimum(up + delay, t.upload_close_s - 60)
    unsent |= sub >= EXPORT_S
    habit = np.array([HABITS.index(p.habit) for p in teachers], dtype=np.int64)
    held = (habit == 2) & (u[3] < 0.35)  # a laggard never gets to it
    deadline = np.where(night, t.cert_deadline_s("進修部"), t.cert_deadline_s("日間部"))
    cert = sub + HOUR + _log_wait(np.array(CERT_MEAN_DAYS)[habit] * DAY * (5 if progress else 1), u[4])
    if not progress:
        over = cert >= deadline
        squeeze = over & ((habit == 0) | (u[5] < 0.45))  # rushed through before the deadline
        lo = np.maximum(sub + HOUR, deadline - 6 * DAY)
        rushed = lo + (u[6] * np.maximum(deadline - lo, 1)).astype(np.int64)
        cert = np.where(squeeze, rushed, np.where(over, deadline + _log_wait(6 * DAY, u[6]), cert))
    cert = cert - cert % DAY + ((7.5 + 15.0 * u[7]) * HOUR).astype(np.int64)  # during the day
    cert = np.where(cert <= sub, sub + 300 + (u[8] * 3301).astype(np.int64), cert)
    certifier = [p.code for p in teachers]
    proxied = np.zeros(len(up), dtype=bool)
    gone = np.array([p.left_s if p.left_s is not None else EXPORT_S for p in teachers], dtype=np.int64)
    for i in np.flatnonzero((cert >= gone) & ~unsent & ~held).tolist():
        p = teachers[i]  # left: the proxy clerk works through the backlog in batches, with a lag
        ready = int(sub[i]) + (1 + int(u[9][i] * 8)) * DAY
        batch = next((b for b in p.proxy_batches if b >= ready), None)
        if batch is None:
            held[i] = True
        else:
            cert[i], certifier[i], proxied[i] = batch + int(u[10][i] * 2 * HOUR), p.proxy, True
    pending = held | (cert >= EXPORT_S)
    failed = ~unsent & ~pending & (u[11] < np.where(proxied, 0.02, 0.06))
    reasons = np.minimum(np.searchsorted(FAIL_CUM, u[12], side="right"), len(FAIL_REASONS) - 1)
    out = _Decisions([], [], [], [], [])
    for i, (s_i, c_i) in enumerate(zip(sub.tolist(), cert.tolist(), strict=True)):
        decided = not (unsent[i] or pending[i])
        out.submitted.append(None if unsent[i] else s_i)
        out.certified.append(c_i if decided else None)
        out.certifier.append(certifier[i] if decided else "")
        out.status.append(
            "未送出" if unsent[i] else "認證中" if pending[i] else "未通過" if failed[i] else "通過"
        )
        out.reason.append(FAIL_REASONS[reasons[i]] if failed[i] else "")
    return out


def _upload_times(t: Term, rng: np.random.Generator, n: int) -> np.ndarray:
    """Mostly near the deadline: 30% in the last three weeks, the rest skewed late; evenings."""
    u = rng.random((4, n))
    days = t.upload_days
    offset = np.where(
        u[0] < 0.3, days - 1 - (u[1] * 21).astype(np.int64), (u[2] ** 0.8 * days).astype(np.int64)
    )
    times: np.ndarray = t.start_s + offset * DAY + ((10.0 + 13.9 * u[3]) * HOUR).astype(np.int64)
    return times


def _kind(s: Stream, status: str, changed_on: date | None, t: Term) -> str:
    if status == "借讀":
        return "借讀"
    if status == "重讀" and s.chance(0.6):
        return "重讀"
    if status == "轉入" and changed_on is not None and changed_on >= t.start and s.chance(0.4):
        return "轉學轉科"
    u = s.u()
    return "補修" if u < 0.015 else "重修" if u < 0.03 else "學期"


def build_outcomes(school: School, s: Stream) -> list[Outcome]:
    out: list[Outcome] = []
    for t in TERMS:
        items = _term_outcomes(school, s, t) + _orphans(school, t)
        items.sort(key=lambda o: (o.uploaded, o.student_no))
        for i, o in enumerate(items, start=1):
            o.id = f"C{t.year}{t.sem}{i:06d}"
        out += items
    _select(school, s, out)
    return out


def _term_outcomes(school: School, s: Stream, t: Term) -> list[Outcome]:
    rng = s.rng
    active = [(st, x) for st in school.students if (x := st.stints.get(t.index)) is not None and x.active]
    counts = 1 + np.searchsorted(COUNT_CUM, rng.random(len(active)) * COUNT_CUM[-1], side="right")
    counts[rng.random(len(active)) < np.array([st.zero_p for st, _ in active])] = 0
    over = rng.choice(len(active), size=s.between(6, 12), replace=False)
    counts[over] = rng.integers(7, 10, size=len(over))  # over the cap of 6
    owner: list[int] = []
    offering: list[Offering] = []
    kind: list[str] = []
    for i, ((_, x), n) in enumerate(zip(active, counts.tolist(), strict=True)):
        courses = school.offerings[t.index][x.class_name]
        for o in s.sample(courses, n) + [s.pick(courses) for _ in range(n - len(courses))]:
            owner.append(i)
            offering.append(o)
            kind.append(_kind(s, x.status, x.changed_on, t))
    up = _upload_times(t, rng, len(owner))
    kept = np.flatnonzero(up < EXPORT_S).tolist()  # 115-1: what was uploaded by the export
    owner, offering, kind, up = (
        [owner[j] for j in kept],
        [offering[j] for j in kept],
        [kind[j] for j in kept],
        up[kept],
    )
    night = np.array([active[i][0].division != DAY_DIV for i in owner], dtype=bool)
    teachers = [school.staff_by_code[o.teacher] for o in offering]
    done = _decide(t, rng, teachers, night, up)
    # A failed item is re-uploaded (half the time) while the phase is open and the student is under 6.
    per_student = np.bincount(np.array(owner, dtype=np.int64), minlength=len(active)).tolist()
    again_u = rng.random((3, len(owner)))
    retry: list[int] = []
    again: list[int] = []
    for j, (status, certified) in enumerate(zip(done.status, done.certified, strict=True)):
        if status != "未通過" or certified is None or again_u[0][j] >= 0.5 or per_student[owner[j]] >= 6:
            continue
        at = certified + 12 * HOUR + int(again_u[1][j] * 84 * HOUR)
        at = at - at % DAY + int((10.0 + 13.9 * again_u[2][j]) * HOUR)
        if certified < at < min(t.upload_close_s, EXPORT_S):
            retry.append(j)
            again.append(at)
            per_student[owner[j]] += 1
    redo = _decide(t, rng, [teachers[j] for j in retry], night[retry], np.array(again, dtype=np.int64))

    def item(j: int, uploaded: int, decided: _Decisions, k: int) -> Outcome:
        """Upload `j` made at `uploaded`, with what entry `k` of `decided` says happened to it."""
        st = active[owner[j]][0]
        return Outcome(
            t,
            st.no,
            st.division,
            offering[j],
            kind[j],
            uploaded,
            decided.submitted[k],
            decided.status[k],
            decided.certified[k],
            decided.certifier[k],
            decided.reason[k],
        )

    items = [item(j, uploaded, done, j) for j, uploaded in enumerate(up.tolist())]
    return items + [item(j, again[n], redo, n) for n, j in enumerate(retry)]


def _orphans(school: School, t: Term) -> list[Outcome]:
    """The deliberate orphans of the module docstring."""
    if t.index == 1:  # transferred out in 113-1, uploads filed under 113-2
        gone = next(st for st in school.students if 0 in st.stints and st.stints[0].status == "轉出")
        courses = school.offerings[1][gone.stints[0].class_name]
        return [
            Outcome(
                t,
                gone.no,
                gone.division,
                courses[i],
                "學期",
                secs(datetime(2025, 2, 12 + i, 20, 15)),
                secs(datetime(2025, 2, 12 + i, 20, 17)),
                "認證中",
            )
            for i in range(2)
        ]
    if t.index == 2:  # a 借讀 student missing from the 學籍 export
        courses = next(c for n, c in school.offerings[2].items() if school.classes[2][n].division == DAY_DIV)
        o = Outcome(t, ORPHAN_GUEST, DAY_DIV, courses[0], "借讀", secs(datetime(2025, 10, 15, 21, 4, 33)))
        o.submitted, o.certified, o.certifier, o.status = (
            o.uploaded + 95,
            o.uploaded + 6 * DAY,
            courses[0].teacher,
            "通過",
        )
        return [o]
    return []


def _select(school: School, s: Stream, items: list[Outcome]) -> None:
    """勾選 after semester 2: up to 6 passed items of the year, with a few exceptions."""
    for t in TERMS:
        if t.select is None:
            continue
        by_student: dict[str, list[Outcome]] = {}
        for o in items:
            if o.term.year == t.year:
                by_student.setdefault(o.student_no, []).append(o)
        ending = [st for st in school.students if (x := st.stints.get(t.index)) is not None and x.active]
        chosen: dict[str, list[Outcome]] = {}
        for st in ending:
            passed = [o for o in by_student.get(st.no, []) if o.status == "通過"]
            if passed and s.chance(0.86):
                chosen[st.no] = s.sample(passed, min(len(passed), 1 + s.weighted(SELECT_CUM)))
        greedy = [st.no for st in ending if sum(o.status == "通過" for o in by_student.get(st.no, [])) >= 8]
        for no in s.sample(greedy, s.between(3, 6)):  # over the cap of 6
            chosen[no] = s.sample([o for o in by_student[no] if o.status == "通過"], s.between(7, 8))
        careless = [no for no in chosen if any(o.status != "通過" for o in by_student[no])]
        for no in s.sample(careless, s.between(2, 4)):  # selected an item that did not pass
            chosen[no].append(s.pick([o for o in by_student[no] if o.status != "通過"]))
        first, last = t.select
        for no in sorted(chosen):
            at = s.moment(first, last, 9.0, 23.0)
            for o in chosen[no]:
                at += s.between(15, 240)
                o.selected, o.selected_at = True, at


def outcome_rows(items: list[Outcome]) -> list[dict[str, str]]:
    stamps = (
        ts_column([o.uploaded for o in items]),
        ts_column([o.submitted for o in items]),
        ts_column([o.certified for o in items]),
        ts_column([o.selected_at for o in items]),
    )
    return [o.row(*at) for o, *at in zip(items, *stamps, strict=True)]
