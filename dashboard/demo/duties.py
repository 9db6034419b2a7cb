"""The demo school's standing duties: 代理人 per unit (Art. 11) and the 自我檢核 records (Art. 5).

Seeds, through the same core a clerk uses (deputies.save, selfchecks.record), so that the
代理人 and 作業期程 pages and the 總覽 notice have something to show a new user:
  - deputies for 學年度 114 and 115 for every unit of deputies.UNITS, one or two people each in
    代理順位, picked by hand from the demo 教職員名冊 (DEPUTY_PICKS: the unit's own clerk first,
    then a colleague of a neighbouring unit; the names come from the roster, so a pick that no
    longer matches it is refused by deputies.save rather than stored);
  - a self-check record for every schedule row of 113-1 … 114-2 whose 自我檢核日期 falls
    before the export, recorded on that date at 16:00, mostly 達成. UNMET lists the few
    未達成 with what the unit will do, RECHECKS the later re-check of one of them, and MISSED
    the check left unrecorded so the 總覽 「自我檢核」 notice shows one. 115-1's self-check
    dates all fall after the export (and the core refuses a record more than 30 days early),
    so 115-1 has none yet.
The figures a record stores are the metrics core's at seeding time, i.e. of the data as
imported. Deterministic: fixed content and explicit timestamps, all before DEMO_EXPORTED_AT.
Skips (and writes nothing) when deputies or self-checks are already stored. Must not import
streamlit, and must not count anything itself: every figure comes from selfchecks / metrics.
"""

from __future__ import annotations

from datetime import date, datetime, time

import duckdb

from dashboard import auth, db
from dashboard.demo.calendar import EXPORTED_AT
from dashboard.records import deputies, selfchecks

Connection = duckdb.DuckDBPyConnection
USER = auth.User("registry", "註冊組（示範）", "註冊組")
CHECK_HOUR = time(16)
CheckKey = tuple[int, int, str, str | None]  # 學年度, 學期, 項目, 部別 (None = 全校)

# 學年度 -> unit -> [(staff_code, note)] in 代理順位. Codes from data/demo/教職員名冊.csv (all 在職).
_REGISTRY = [("T0232", "本組幹事"), ("T0498", "本組幹事")]  # 吳明澤, 莊維威
_NIGHT_ACADEMIC = [("T0078", "本組幹事"), ("T0182", "進修部學務組幹事，跨組支援")]  # 余靜芸, 陳睿偉
_NIGHT_STUDENT = [("T0182", "本組幹事"), ("T0078", "進修部教務組幹事，跨組支援")]
_ACTIVITIES = [("T0550", "本組幹事"), ("T0692", "學務處活動組幹事，跨組支援")]  # 許祐宇, 潘欣萱
_EVENTS = [("T0692", "本組幹事"), ("T0550", "學務處訓育組幹事，跨組支援")]
_ACADEMIC = [("T0681", "註冊組長，熟悉平臺帳號管理"), ("T0048", "教學組長")]  # 陳妤雯, 洪博育
DEPUTY_PICKS: dict[int, dict[str, list[tuple[str, str]]]] = {
    114: {
        "教務處註冊組": _REGISTRY,
        "進修部教務組": _NIGHT_ACADEMIC,
        "學務處訓育組": _ACTIVITIES,
        "學務處活動組": _EVENTS,
        "進修部學務組": _NIGHT_STUDENT,
        "教務處": _ACADEMIC,
        "輔導室": [("T0891", "輔導教師，負責課程諮詢紀錄")],  # 李甯心
    },
    115: {  # 115: the counselling office adds a second deputy; the 活動組 keeps one
        "教務處註冊組": _REGISTRY,
        "進修部教務組": _NIGHT_ACADEMIC,
        "學務處訓育組": _ACTIVITIES,
        "學務處活動組": _EVENTS[:1],
        "進修部學務組": _NIGHT_STUDENT,
        "教務處": _ACADEMIC,
        "輔導室": [("T0891", "輔導教師，負責課程諮詢紀錄"), ("T0898", "輔導教師")],  # 黃宇承
    },
}
DEPUTIES_SAVED = {114: datetime(2025, 8, 25, 10), 115: datetime(2026, 8, 24, 10)}

CHECK_YEARS: tuple[tuple[int, int], ...] = ((113, 1), (113, 2), (114, 1), (114, 2), (115, 1))
UNMET: dict[CheckKey, str] = {
    (113, 2, "教師認證", "進修部"): (
        "少數任課教師仍有多件待認證，認證完成率低於日間部。進修部教務組於 7/24 截止前逐一提醒，"
        "並請科主任協助追蹤。"
    ),
    (114, 1, "學校提交", None): (
        "進修部學業成績名冊尚未提交（補考成績延後登錄）。進修部教務組於 3/23 前完成提交，註冊組提交當天複檢。"
    ),
    (114, 1, "收訖確認", None): (
        "未確認比例偏高。註冊組於 4/10 截止前請各班導師再通知一次，下學期收訖確認開始時於週會宣導。"
    ),
    (114, 2, "教師認證", "進修部"): (
        "少數任課教師尚未完成認證。進修部教務組已寄提醒信，7/24 截止前再追蹤；逾期者於工作小組會議報告。"
    ),
}
RECHECKS: dict[CheckKey, tuple[date, str]] = {
    (114, 1, "學校提交", None): (
        date(2026, 3, 23),
        "進修部學業成績名冊已於 3/23 上午提交，名冊全數完成；比期限晚 3 天，列入下次會議報告。",
    ),
}
MISSED: frozenset[CheckKey] = frozenset({(114, 2, "收訖確認", None)})


def _deputies(con: Connection) -> int:
    names = {str(r["staff_code"]): str(r["name"]) for r in db.query_rows(con, "staff_all")}
    stored = 0
    for year, units in DEPUTY_PICKS.items():
        for unit in deputies.UNITS:  # every unit, so a missing one fails here rather than on a page
            people = [
                deputies.Deputy(rank, code, names.get(code, ""), note)
                for rank, (code, note) in enumerate(units[unit], start=1)
            ]
            stored += len(deputies.save(con, year, unit, people, USER, now=DEPUTIES_SAVED[year]))
    return stored


def _key(s: selfchecks.SelfCheckStatus) -> CheckKey:
    return (s.year, s.semester, s.phase, s.division)


def _checks(con: Connection) -> int:
    """Every due check before the export except MISSED, in the order they were made."""
    found = [s for y, sem in CHECK_YEARS for s in selfchecks.statuses(con, y, sem, EXPORTED_AT.date())]
    unknown = (set(UNMET) | set(RECHECKS) | MISSED) - {_key(s) for s in found}
    if unknown:  # the demo schedule changed under this seed
        raise ValueError(f"示範自我檢核找不到作業期程列：{sorted(unknown, key=str)}")
    events: list[tuple[datetime, CheckKey, str, str]] = []
    for s in found:
        key = _key(s)
        at = datetime.combine(s.self_check_date, CHECK_HOUR)
        if key in MISSED or at >= EXPORTED_AT:
            continue
        note = UNMET.get(key)
        events.append((at, key, "達成" if note is None else "未達成", note or ""))
        if key in RECHECKS:
            day, recheck_note = RECHECKS[key]
            events.append((datetime.combine(day, CHECK_HOUR), key, "達成", recheck_note))
    for at, (year, semester, phase, division), result, note in sorted(events, key=lambda e: e[0]):
        selfchecks.record(con, year, semester, division, phase, result, note, USER, now=at)
    return len(events)


def seed(con: Connection) -> dict[str, int]:
    """Write the demo's deputies and self-check records; nothing when either is already stored.
    Returns what was written: deputy rows and self-check records (re-checks included)."""
    counts = {"deputies": 0, "self_checks": 0}
    if db.row_count(con, "deputies") or db.row_count(con, "self_checks"):
        return counts
    counts["deputies"] = _deputies(con)
    counts["self_checks"] = _checks(con)
    return counts
