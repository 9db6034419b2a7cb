"""The demo school's staff (教職員名冊) and what their careers do to certification.

Part of the demo generator (dashboard/demo.py). The offices of the regulation's working group
(註冊組, 訓育組, 活動組, 進修部教務組, 進修部學務組 …), department and general-subject
teachers and 進修部 part-timers, about 180 people with codes like T0412. Three teachers leave
mid-year (離職, with 異動日期 and 帳號停用日期) and a 註冊組 or 進修部教務組 clerk certifies
their backlog as proxy, in batches; one retires, one takes unpaid leave, three are hired.
Each teacher has a certification habit (prompt / late / laggard) that demo_records follows.
This module must not import streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dashboard.demo.calendar import TERMS, Stream, day_s, iso, secs
from dashboard.demo.names import person_name, with_hkscs
from dashboard.demo.people import DEPARTMENTS, NIGHT_DIV


@dataclass
class Staff:
    code: str
    name: str
    unit: str
    title: str
    domain: str = ""  # the subject group taught ("" = does not teach)
    night_only: bool = False
    status: str = "在職"
    changed_on: date | None = None
    disabled_on: date | None = None
    first_term: int = 0
    last_term: int = len(TERMS) - 1
    habit: str = "prompt"  # prompt / late / laggard certification
    left_s: int | None = None  # left mid-term: a proxy certifies from this moment on
    proxy: str = ""
    proxy_batches: tuple[int, ...] = ()
    counsellor: bool = False


_OFFICES: tuple[tuple[str, str, int], ...] = (
    ("校長室", "校長", 1),
    ("教務處", "教務主任", 1),
    ("教務處註冊組", "註冊組長", 1),
    ("教務處註冊組", "幹事", 2),
    ("教務處教學組", "教學組長", 1),
    ("教務處設備組", "設備組長", 1),
    ("學務處", "學務主任", 1),
    ("學務處訓育組", "訓育組長", 1),
    ("學務處訓育組", "幹事", 1),
    ("學務處活動組", "活動組長", 1),
    ("學務處活動組", "幹事", 1),
    ("學務處生輔組", "生輔組長", 1),
    ("實習處", "實習主任", 1),
    ("實習處實習組", "實習組長", 1),
    ("實習處就業組", "就業組長", 1),
    ("輔導室", "輔導主任", 1),
    ("輔導室", "輔導教師", 3),
    ("圖書館", "圖書館主任", 1),
    ("進修部", "進修部主任", 1),
    ("進修部教務組", "進修部教務組長", 1),
    ("進修部教務組", "幹事", 1),
    ("進修部學務組", "進修部學務組長", 1),
    ("進修部學務組", "幹事", 1),
)
_DEPT_TEACHERS = {
    "機械科": 11,
    "製圖科": 7,
    "電機科": 11,
    "電子科": 10,
    "資訊科": 8,
    "化工科": 7,
    "汽車科": 10,
    "冷凍空調科": 7,
    "控制科": 7,
}
GENERAL_UNITS = {"國文科": 12, "英文科": 11, "數學科": 11, "自然科": 9, "社會科": 9, "體育科": 7, "藝能科": 6}
_PART_TIMERS = ("機械科", "電機科", "電子科", "汽車科", "控制科", "機械科")


def build_staff(s: Stream) -> list[Staff]:
    plan: list[tuple[str, str, str, bool]] = [(u, t, "", False) for u, t, n in _OFFICES for _ in range(n)]
    for unit, n in (_DEPT_TEACHERS | GENERAL_UNITS).items():
        for i in range(n):
            title = "科主任" if i == 0 and unit in _DEPT_TEACHERS else ("導師" if s.chance(0.45) else "教師")
            plan.append((unit, title, unit, False))
    plan += [(NIGHT_DIV, "兼任教師", d, True) for d in _PART_TIMERS]
    plan += [
        ("資訊科", "教師", "資訊科", False),
        ("電子科", "教師", "電子科", False),
        ("國文科", "教師", "國文科", False),
    ]
    codes = sorted(int(c) + 1 for c in s.rng.choice(999, size=len(plan), replace=False))
    order = [int(i) for i in s.rng.permutation(len(plan))]
    genders = ["女" if s.chance(0.42) else "男" for _ in plan]
    staff = [
        Staff(f"T{codes[order[i]]:04d}", person_name(s, genders[i]), u, t, d, night)
        for i, (u, t, d, night) in enumerate(plan)
    ]
    for i in s.sample([i for i, g in enumerate(genders) if g == "男"], 2):  # 堃/喆/峯: Big5-HKSCS only
        staff[i].name = with_hkscs(s, staff[i].name)
    for p in staff:
        if p.domain:
            p.habit = "laggard" if s.chance(0.04) else "late" if s.chance(0.11) else "prompt"
    for p, start, on in zip(
        staff[-3:], (2, 2, 4), (date(2025, 8, 1), date(2025, 8, 1), date(2026, 8, 1)), strict=True
    ):
        p.first_term, p.changed_on = start, on
    _staff_changes(s, staff)
    return staff


def clerks(staff: list[Staff], unit: str) -> list[Staff]:
    return [p for p in staff if p.unit == unit]


# Teachers who leave mid-term: taken from a unit, their last term, the day they leave, the
# clerk who certifies their backlog (unit, position in it) and when that clerk does so.
_LEAVERS: tuple[tuple[str, int, str, tuple[str, int], tuple[str, ...]], ...] = (
    (
        "機械科",
        0,
        "2025-01-06",
        ("教務處註冊組", 1),
        ("2025-01-20 10:00", "2025-02-06 14:00", "2025-02-12 15:30"),
    ),
    (
        NIGHT_DIV,
        2,
        "2025-11-20",
        ("進修部教務組", 1),
        ("2025-12-15 09:30", "2026-02-12 10:00", "2026-02-20 16:00"),
    ),
    (
        "數學科",
        3,
        "2026-04-30",
        ("教務處註冊組", 0),
        ("2026-05-20 11:00", "2026-07-20 15:00", "2026-07-28 09:40"),
    ),
)


def _staff_changes(s: Stream, staff: list[Staff]) -> None:
    """Three leave mid-year (a proxy certifies), one retires, one takes unpaid leave."""
    regular = [p for p in staff[:-3] if p.domain and p.title != "科主任"]
    leavers = []
    for unit, term, on, (proxy_unit, nth), batches in _LEAVERS:
        p = s.pick([p for p in regular if p.unit == unit])
        p.status, p.changed_on, p.last_term, p.habit = "離職", date.fromisoformat(on), term, "prompt"
        p.disabled_on = p.changed_on + timedelta(days=s.between(20, 40))
        p.left_s = day_s(p.changed_on)
        p.proxy = clerks(staff, proxy_unit)[nth].code
        p.proxy_batches = tuple(secs(datetime.fromisoformat(b)) for b in batches)
        leavers.append(p)
    busy = {p.code for p in leavers}
    retiree = s.pick([p for p in regular if p.unit == "國文科" and p.code not in busy])
    retiree.status, retiree.changed_on, retiree.last_term = "退休", date(2025, 7, 31), 1
    retiree.disabled_on = date(2025, 8, 31)
    on_leave = s.pick([p for p in regular if p.unit == "英文科" and p.code not in busy])
    on_leave.status, on_leave.changed_on, on_leave.last_term = "留職停薪", date(2026, 2, 1), 2
    busy |= {retiree.code, on_leave.code}
    for dept in DEPARTMENTS:
        pool = [p for p in regular if p.unit == dept.name and p.code not in busy and not p.night_only]
        for p in s.sample(pool, 2):
            p.counsellor = True


def staff_rows(staff: list[Staff]) -> list[dict[str, str]]:
    return [
        {
            "教職員代碼": p.code,
            "姓名": p.name,
            "單位": p.unit,
            "職稱": p.title,
            "在職狀態": p.status,
            "異動日期": iso(p.changed_on),
            "帳號停用日期": iso(p.disabled_on),
        }
        for p in sorted(staff, key=lambda p: p.code)
    ]
