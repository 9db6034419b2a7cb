"""The demo school's calendar: its five terms, their phases, and the random-draw helper.

Part of the demo generator (dashboard/demo.py). It holds the dates every other demo module
times its events by: the terms 113-1 … 115-1 with the phases of domain.md's calendar
(休業式 about Jan 17 / Jun 30, upload until 休業式 + 2 weeks, certification a week later,
school submission about a month after that, a receipt window of more than 3 days), the
作業期程 and 研習場次 rows built from them, and `Stream`, the one source of randomness.

Timestamps are handled as whole seconds since `EPOCH` (local time, Asia/Taipei) and written
as `2024-11-20 15:03:00`. Nothing here reads the wall clock; this module must not import
streamlit.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, cached_property
from typing import TypeVar

import numpy as np

T = TypeVar("T")

EXPORTED_AT = datetime(2026, 11, 16, 8, 0)  # a Monday morning, week 12 of 115-1
EPOCH = datetime(2024, 1, 1)
_EPOCH64 = np.datetime64(EPOCH, "s")
DAY = 86_400
HOUR = 3_600

REGISTRY = "教務處註冊組"
NIGHT_REGISTRY = "進修部教務組"
BOTH_REGISTRIES = "教務處註冊組、進修部教務組"


def day_s(d: date) -> int:
    """Seconds since EPOCH at 00:00 of d."""
    return (d - EPOCH.date()).days * DAY


def secs(dt: datetime) -> int:
    return int((dt - EPOCH).total_seconds())


EXPORT_S = secs(EXPORTED_AT)
EXPORT_DAY = EXPORTED_AT.date()


@cache
def _day_text(days: int) -> str:
    return (EPOCH.date() + timedelta(days=days)).isoformat()


def ts(s: int | None) -> str:
    """`2024-11-20 15:03:00` (called a few hundred thousand times: kept cheap)."""
    if s is None:
        return ""
    days, rest = divmod(s, DAY)
    return f"{_day_text(days)} {_clock_text(rest)}"


def ts_column(values: Sequence[int | None]) -> list[str]:
    """ts() for a whole column at once (numpy formats; the same text as ts())."""
    seconds = np.fromiter((-1 if v is None else v for v in values), dtype=np.int64, count=len(values))
    text: list[str] = np.datetime_as_string(_EPOCH64 + seconds, unit="s").tolist()
    return ["" if v is None else t.replace("T", " ") for v, t in zip(values, text, strict=True)]


@cache
def _clock_text(seconds: int) -> str:
    hours, rest = divmod(seconds, HOUR)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def iso(d: date | None) -> str:
    return "" if d is None else d.isoformat()


def day_of(s: int) -> date:
    return EPOCH.date() + timedelta(days=s // DAY)


def weekday(d: date) -> date:
    """The date itself, or the Monday after when it falls on a weekend."""
    return d + timedelta(days=(7 - d.weekday()) % 7) if d.weekday() >= 5 else d


class Stream:
    """Uniform draws from one `numpy.random.default_rng`, handed out one at a time.

    Each part of the school draws from its own stream ([seed, n]), so changing how one file
    is generated does not reshuffle the others. Buffering keeps Python loops fast.
    """

    def __init__(self, seed: int, stream: int) -> None:
        self.rng = np.random.default_rng([seed, stream])
        self._next: Iterator[float] = iter(())

    def u(self) -> float:
        for v in self._next:
            return v
        self._next = iter(self.rng.random(4096).tolist())
        return next(self._next)

    def chance(self, p: float) -> bool:
        return self.u() < p

    def index(self, n: int) -> int:
        i = int(self.u() * n)
        return i if i < n else n - 1

    def between(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi], both included."""
        return lo + self.index(hi - lo + 1)

    def pick(self, seq: Sequence[T]) -> T:
        return seq[self.index(len(seq))]

    def weighted(self, cum: Sequence[float]) -> int:
        """An index drawn by cumulative weights."""
        return min(bisect_right(cum, self.u() * cum[-1]), len(cum) - 1)

    def sample(self, seq: Sequence[T], k: int) -> list[T]:
        pool = list(seq)
        k = min(k, len(pool))
        for i in range(k):
            j = i + self.index(len(pool) - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]

    def moment(self, first: date, last: date, lo_h: float = 8.0, hi_h: float = 22.0) -> int:
        """A time on a day in [first, last] between lo_h and hi_h o'clock."""
        days = (last - first).days + 1
        return day_s(first) + self.index(days) * DAY + int((lo_h + self.u() * (hi_h - lo_h)) * HOUR)

    def office(self, first: date, last: date, lo_h: float = 8.5, hi_h: float = 17.5) -> int:
        """A time in office hours on a weekday in [first, last] (on `first` if none is)."""
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        day = self.pick([d for d in days if d.weekday() < 5] or [first])
        return day_s(day) + int((lo_h + self.u() * (hi_h - lo_h)) * HOUR)

    def daytime(self, s: int, lo_h: float = 7.5, hi_h: float = 22.5) -> int:
        """The same day as s, at a random time between lo_h and hi_h o'clock."""
        return s - s % DAY + int((lo_h + self.u() * (hi_h - lo_h)) * HOUR)


@dataclass(frozen=True)
class Term:
    """One semester and its phases (all dates inclusive)."""

    index: int
    year: int
    sem: int
    start: date
    closing: date  # 休業式
    submit: tuple[date, date]
    receipt: tuple[date, date]

    @property
    def label(self) -> str:
        return f"{self.year}-{self.sem}"

    @cached_property
    def upload_end(self) -> date:
        return self.closing + timedelta(days=14)

    @cached_property
    def cert_end(self) -> date:
        return self.upload_end + timedelta(days=7)

    @cached_property
    def night_cert_end(self) -> date:
        # 進修部 classes end later in the evening timetable; its teachers get three more days.
        return self.cert_end + timedelta(days=3)

    @cached_property
    def diverse_end(self) -> date:
        return date(self.year + 1912, 7, 31) if self.sem == 2 else self.upload_end

    @cached_property
    def select(self) -> tuple[date, date] | None:
        if self.sem == 1:
            return None
        return self.cert_end + timedelta(days=1), self.cert_end + timedelta(days=24)

    @cached_property
    def in_progress(self) -> bool:
        return self.start <= EXPORT_DAY <= self.cert_end

    def cert_deadline_s(self, division: str) -> int:
        """The first second after the 教師認證 phase of the division."""
        return self._deadlines[division == "進修部"]

    @cached_property
    def _deadlines(self) -> tuple[int, int]:
        return day_s(self.cert_end) + DAY, day_s(self.night_cert_end) + DAY

    @cached_property
    def start_s(self) -> int:
        return day_s(self.start)

    @cached_property
    def diverse_days(self) -> int:
        """Days in the 學生上傳多元表現 phase."""
        return (self.diverse_end - self.start).days + 1

    @cached_property
    def upload_days(self) -> int:
        """Days in the 學生上傳課程學習成果 phase."""
        return (self.upload_end - self.start).days + 1

    @cached_property
    def upload_close_s(self) -> int:
        """The first second after the upload phase."""
        return day_s(self.upload_end) + DAY


# 學年度, 學期: first day of classes, 休業式, 學校提交 from–to, 收訖確認 from–to
_TERM_DATES: tuple[tuple[int, int, str, str, str, str, str, str], ...] = (
    (113, 1, "2024-08-30", "2025-01-17", "2025-02-24", "2025-03-14", "2025-03-24", "2025-04-02"),
    (113, 2, "2025-02-11", "2025-06-30", "2025-08-18", "2025-09-12", "2025-09-22", "2025-10-03"),
    (114, 1, "2025-09-01", "2026-01-20", "2026-03-02", "2026-03-20", "2026-03-30", "2026-04-10"),
    (114, 2, "2026-02-11", "2026-06-30", "2026-08-17", "2026-09-11", "2026-09-21", "2026-10-02"),
    (115, 1, "2026-08-31", "2027-01-19", "2027-03-01", "2027-03-19", "2027-03-29", "2027-04-09"),
)


def _term(index: int, row: tuple[int, int, str, str, str, str, str, str]) -> Term:
    year, sem, *days = row
    d = [date.fromisoformat(x) for x in days]
    return Term(index, year, sem, d[0], d[1], (d[2], d[3]), (d[4], d[5]))


TERMS: tuple[Term, ...] = tuple(_term(i, row) for i, row in enumerate(_TERM_DATES))
YEARS: tuple[int, ...] = (113, 114, 115)


def year_terms(year: int) -> tuple[Term, ...]:
    return tuple(t for t in TERMS if t.year == year)


def schedule_rows() -> list[dict[str, str]]:
    """作業期程: common phases (empty 部別) per term, plus the 進修部 教師認證 override.

    The plan of 115-1 is complete although the export is mid-semester: a schedule is
    published ahead, and the dashboard counts days left against it.
    """
    rows: list[dict[str, str]] = []

    def add(t: Term, div: str, phase: str, first: date, last: date, unit: str) -> None:
        check = max(first, last - timedelta(days=3))
        rows.append(
            {
                "學年度": str(t.year),
                "學期": str(t.sem),
                "部別": div,
                "項目": phase,
                "開始日期": iso(first),
                "結束日期": iso(last),
                "自我檢核日期": iso(check),
                "負責單位": unit,
            }
        )

    for t in TERMS:
        add(t, "", "學生上傳課程學習成果", t.start, t.upload_end, BOTH_REGISTRIES)
        add(t, "", "教師認證", t.start, t.cert_end, BOTH_REGISTRIES)
        add(t, "進修部", "教師認證", t.start, t.night_cert_end, NIGHT_REGISTRY)
        add(t, "", "學生上傳多元表現", t.start, t.diverse_end, BOTH_REGISTRIES)
        if t.select is not None:
            add(t, "", "學生勾選", t.select[0], t.select[1], BOTH_REGISTRIES)
        add(
            t,
            "",
            "學校提交",
            t.submit[0],
            t.submit[1],
            "教務處註冊組、學務處訓育組、進修部教務組、進修部學務組",
        )
        add(t, "", "收訖確認", t.receipt[0], t.receipt[1], BOTH_REGISTRIES)
        add(t, "", "休業式", t.closing, t.closing, "學務處")
    return rows


# (month, day, year offset (0 = Aug–Dec, 1 = Jan–Jul), 類型, 名稱, 對象, 部別, 主辦單位, 約略人數)
_TRAININGS: tuple[tuple[int, int, int, str, str, str, str, str, int], ...] = (
    (8, 22, 0, "宣導說明", "新生學習歷程檔案宣導", "學生、家長", "日間部", REGISTRY, 790),
    (8, 26, 0, "宣導說明", "進修部新生學習歷程檔案宣導", "學生、家長", "進修部", NIGHT_REGISTRY, 150),
    (8, 28, 0, "宣導說明", "期初校務會議學習歷程檔案作業宣導", "教職員", "", REGISTRY, 168),
    (9, 9, 0, "系統操作訓練", "教師認證操作說明", "教師", "", REGISTRY, 121),
    (9, 19, 0, "宣導說明", "親師座談會學習歷程檔案說明", "家長、教師", "", REGISTRY, 540),
    (10, 7, 0, "系統操作訓練", "高一學習歷程平臺操作說明", "學生", "日間部", REGISTRY, 780),
    (10, 15, 0, "系統操作訓練", "進修部學生平臺操作說明", "學生", "進修部", NIGHT_REGISTRY, 140),
    (11, 11, 0, "專業研習", "課程學習成果認證實務研習", "教師", "", REGISTRY, 86),
    (12, 9, 0, "系統操作訓練", "課程學習成果上傳與送出認證操作", "學生", "日間部", REGISTRY, 760),
    (3, 17, 1, "專業研習", "課程諮詢教師增能研習", "教師", "", REGISTRY, 28),
    (4, 14, 1, "專業研習", "學習歷程自述與成果撰寫增能研習", "學生、教師", "日間部", REGISTRY, 160),
    (4, 21, 1, "專業研習", "進修部學習歷程檔案增能研習", "學生、教師", "進修部", NIGHT_REGISTRY, 55),
    (6, 9, 1, "系統操作訓練", "學習成果與多元表現勾選操作說明", "學生", "", REGISTRY, 930),
    (6, 16, 1, "宣導說明", "高二升高三學習歷程檔案說明會", "學生、家長", "日間部", REGISTRY, 420),
)


def training_rows(s: Stream) -> list[dict[str, str]]:
    """研習場次 per 學年度; for 115 only the sessions held before the export."""
    rows: list[dict[str, str]] = []
    for year in YEARS:
        for month, dd, offset, kind, title, audience, div, organiser, size in _TRAININGS:
            held = weekday(date(year + 1911 + offset, month, dd))
            if held >= EXPORT_DAY:
                continue
            attendance = int(size * (0.85 + 0.25 * s.u()))
            rows.append(
                {
                    "學年度": str(year),
                    "日期": iso(held),
                    "類型": kind,
                    "名稱": f"{year}學年度{title}",
                    "對象": audience,
                    "部別": div,
                    "主辦單位": organiser,
                    "參加人數": str(attendance),
                }
            )
    return rows
