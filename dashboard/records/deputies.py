"""代理人 (補充規定第十一點): the deputies each unit's head designates per 學年度, in order of 代理
順位, and who must act for a teacher who has gone while items still wait for certification.

The units are the ones the regulation gives learning-portfolio data work to (Art. 6, 7, 11). A
deputy must be 在職 on 教職員名冊: someone who has left cannot sign in and act. The teachers who
are gone (離職 / 退休 / 留職停薪 / not on the roster) with pending items, and the accounts whose
closing should be delayed (Art. 11(3)2(2)), are read from teachers.board, so they match the
教師認證 page; counts and dates are as of 資料截至 there. This module must not import
streamlit, cache, or format for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from dashboard import audit, auth, db
from dashboard.measures import teachers
from dashboard.school_calendar import school_now

Connection = duckdb.DuckDBPyConnection

IN_SERVICE = "在職"
MIN_YEAR, MAX_YEAR = 108, 199
# The unit -> its learning-portfolio work in the regulation (for the page to say why it is listed).
UNIT_DUTIES: dict[str, str] = {
    "教務處註冊組": "日間部學籍、成績登錄與提交、收訖確認；代理認證課程學習成果（第六、七、十一點）",
    "進修部教務組": "進修部學籍、成績登錄與提交、收訖確認；代理認證課程學習成果（第六、七、十一點）",
    "學務處訓育組": "幹部紀錄登錄、校內幹部經歷提交（第六、七點）",
    "學務處活動組": "幹部紀錄登錄（第六點）",
    "進修部學務組": "進修部幹部紀錄登錄、校內幹部經歷提交（第六、七點）",
    "教務處": "學習歷程學校平臺建置及管理：帳號、公告、障礙排除（第六點）",
    "輔導室": "課程諮詢紀錄登錄（第六點）",
}
UNITS: tuple[str, ...] = tuple(UNIT_DUTIES)


@dataclass(frozen=True)
class Deputy:
    rank: int  # 代理順位: 1 acts first
    staff_code: str | None
    person_name: str
    note: str = ""


@dataclass(frozen=True)
class ActingUnit:
    """A unit that must certify a gone teacher's pending items, and who acts for it."""

    unit: str
    pending: int  # the teacher's pending items of this unit's division
    deputy: Deputy | None  # the first in-service deputy designated for the year, if any


@dataclass(frozen=True)
class LeaverDuty:
    """A gone teacher (teachers.TeacherStatus.flagged) whose pending items others must certify."""

    code: str
    name: str | None
    employment_status: str | None  # None: the code is not on 教職員名冊
    pending: int
    deadline_date: date | None
    days_left: int | None
    account_disabled_on: date | None
    acting: tuple[ActingUnit, ...]

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(a.unit for a in self.acting)


@dataclass(frozen=True)
class AccountDelay:
    """An account set to close while its teacher still has items to certify (Art. 11(3)2(2))."""

    code: str
    name: str | None
    employment_status: str | None
    account_disabled_on: date
    days_left: int | None  # account_disabled_on − the day of 資料截至
    already_past: bool  # closes on or before the day of 資料截至 (teachers: account_state closed)
    pending: int
    units: tuple[str, ...]  # the units of the pending items' divisions


class DeputyError(ValueError):
    """A refused list: `problems` maps `deputy.N.field` (N = row, from 1), unit, ranks, year or
    user to a Chinese message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def _rows(con: Connection, year: int) -> list[dict[str, Any]]:
    return db.query_rows(con, "deputies_list", year=year)


def _deputy(row: dict[str, Any]) -> Deputy:
    return Deputy(int(row["rank"]), row["staff_code"], row["person_name"], row["note"] or "")


def _by_unit(rows: list[dict[str, Any]]) -> dict[str, list[Deputy]]:
    out: dict[str, list[Deputy]] = {unit: [] for unit in UNITS}
    for row in rows:
        out.setdefault(row["unit"], []).append(_deputy(row))
    return out


def load(con: Connection, year: int) -> dict[str, list[Deputy]]:
    """Every unit of UNITS (empty list when none designated) -> its deputies by rank."""
    return _by_unit(_rows(con, year))


def acting_deputy(con: Connection, year: int, unit: str) -> Deputy | None:
    """The first deputy of `unit` for `year` who is still 在職 (one who left since is skipped)."""
    rows = [r for r in _rows(con, year) if r["unit"] == unit and r["employment_status"] == IN_SERVICE]
    return _deputy(rows[0]) if rows else None


def copy_forward(con: Connection, year: int) -> dict[str, list[Deputy]]:
    """A starting list for `year`: last year's, without people no longer 在職, ranks closed up.
    Nothing is saved; the page shows it for the unit heads to confirm."""
    kept = [r for r in _rows(con, year - 1) if r["employment_status"] == IN_SERVICE]
    out: dict[str, list[Deputy]] = {unit: [] for unit in UNITS}
    for row in kept:  # already in unit, rank order
        unit_list = out.setdefault(row["unit"], [])
        unit_list.append(Deputy(len(unit_list) + 1, row["staff_code"], row["person_name"], row["note"] or ""))
    return out


def validate(con: Connection, year: int, unit: str, deputies: list[Deputy]) -> dict[str, str]:
    """Every problem as {field: message}; empty when the list may be saved. An empty list is
    allowed (the unit has no deputy yet)."""
    problems: dict[str, str] = {}
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        problems["year"] = f"學年度「{year}」不正確：請寫民國年（{MIN_YEAR}～{MAX_YEAR}），例如 114。"
    if unit not in UNITS:
        problems["unit"] = f"單位「{unit}」不在補充規定所列的單位中：{'、'.join(UNITS)}。"
    staff = {r["staff_code"]: r for r in db.query_rows(con, "staff_all")}
    ranks_seen: set[int] = set()
    codes_seen: dict[str, int] = {}
    for n, d in enumerate(deputies, start=1):
        key = f"deputy.{n}"
        rank_ok = isinstance(d.rank, int) and not isinstance(d.rank, bool) and d.rank >= 1
        if not rank_ok:
            problems[f"{key}.rank"] = f"第 {n} 列：代理順位「{d.rank}」不正確，請填 1 以上的整數。"
        elif d.rank in ranks_seen:
            problems[f"{key}.rank"] = f"第 {n} 列：代理順位 {d.rank} 重複；每個順位只能有一人。"
        else:
            ranks_seen.add(d.rank)
        name = (d.person_name or "").strip()
        code = (d.staff_code or "").strip() or None
        if not name:
            problems[f"{key}.person_name"] = f"第 {n} 列：請填寫代理人姓名。"
        if code is None:
            problems[f"{key}.staff_code"] = f"第 {n} 列：請從教職員名冊選擇代理人（填教職員代碼）。"
            continue
        person = staff.get(code)
        if person is None:
            problems[f"{key}.staff_code"] = f"第 {n} 列：教職員代碼 {code} 不在教職員名冊中。"
            continue
        if person["employment_status"] != IN_SERVICE:
            problems[f"{key}.staff_code"] = (
                f"第 {n} 列：{person['name']}（{code}）在教職員名冊上是「{person['employment_status']}」，"
                "已無法代理；請改選在職人員。"
            )
        elif code in codes_seen:
            problems[f"{key}.staff_code"] = (
                f"第 {n} 列：{person['name']}（{code}）已列在第 {codes_seen[code]} 列；"
                "同一人在一個單位只列一次。"
            )
        if name and person["name"] != name:
            problems[f"{key}.person_name"] = (
                f"第 {n} 列：教職員代碼 {code} 在名冊上是「{person['name']}」，與填寫的「{name}」不符。"
            )
        codes_seen.setdefault(code, n)
    rank_problems = any(k.endswith(".rank") for k in problems)
    if not rank_problems and sorted(ranks_seen) != list(range(1, len(deputies) + 1)):
        shown = "、".join(str(r) for r in sorted(ranks_seen))
        problems["ranks"] = f"代理順位須從 1 起連續編號，不能跳號（目前是 {shown}）；請重新編號。"
    return problems


def save(
    con: Connection,
    year: int,
    unit: str,
    deputies: list[Deputy],
    user: auth.User,
    now: datetime | None = None,
    expected: list[Deputy] | None = None,
) -> list[Deputy]:
    """Replace `unit`'s deputies for `year` in one transaction; returns the stored list.
    `expected`: the list the editor started from (see save_units)."""
    return save_units(con, year, {unit: deputies}, user, now, None if expected is None else {unit: expected})[
        unit
    ]


def save_units(
    con: Connection,
    year: int,
    lists: dict[str, list[Deputy]],
    user: auth.User,
    now: datetime | None = None,
    expected: dict[str, list[Deputy]] | None = None,
) -> dict[str, list[Deputy]]:
    """Replace several units' deputies for `year` (copy-forward writes every unit) in one
    transaction: every list is checked first, and one refused list writes nothing at all.
    Problems of several units are keyed "unit: field". `expected` holds what an editor started
    from, per unit; a unit stored differently by now (another clerk's save) refuses the whole
    save (key "version") rather than overwrite it."""
    if not user.can("edit_records"):
        raise DeputyError({"user": "您的角色不能修改代理人（需註冊組、執行秘書或管理者）。"})
    problems: dict[str, str] = {}
    for unit, people in lists.items():
        found = validate(con, year, unit, people)
        problems.update(found if len(lists) == 1 else {f"{unit}: {k}": m for k, m in found.items()})
    if problems:
        raise DeputyError(problems)
    at = now or school_now()
    with db.transaction(con) as cur:
        if expected is not None:
            stored_now = load(cur, year)
            changed = [u for u, before in expected.items() if stored_now.get(u, []) != before]
            if changed:
                raise DeputyError(
                    {
                        "version": f"{year} 學年度{'、'.join(changed)}的代理人在您開啟後已被修改；"
                        "為免覆蓋，這次沒有儲存。請載入最新名單再修改。"
                    }
                )
        for unit, people in lists.items():
            cur.execute(
                "delete from deputies where school_year = $year and unit = $unit",
                {"year": year, "unit": unit},
            )
            for d in sorted(people, key=lambda d: d.rank):
                cur.execute(
                    "insert into deputies values ($year, $unit, $rank, $code, $name, $note, $by, $at)",
                    {
                        "year": year,
                        "unit": unit,
                        "rank": d.rank,
                        "code": (d.staff_code or "").strip(),
                        "name": d.person_name.strip(),
                        "note": d.note.strip() or None,
                        "by": user.username,
                        "at": at,
                    },
                )
        named = "、".join(f"{unit} {len(people)} 人" for unit, people in lists.items())
        audit.record(cur, audit.FORM_SAVED, user.username, detail=f"代理人：{year} 學年度 {named}")
    stored = load(con, year)
    return {unit: stored[unit] for unit in lists}


# --- teachers who are gone ---------------------------------------------------------------------


def leavers_with_pending(con: Connection, year: int, semester: int) -> list[LeaverDuty]:
    """Teachers gone (or not on 教職員名冊) with pending items in the semester, each with the
    units that certify instead (Art. 11(3)2(1)) and who acts for each unit this 學年度."""
    acting = {unit: acting_deputy(con, year, unit) for unit in teachers.UNIT_FOR_DIVISION.values()}
    out = []
    for t in teachers.board(con, year, semester):
        if not t.flagged:
            continue
        units = tuple(
            ActingUnit(unit, t.pending_by_division.get(division, 0), acting[unit])
            for division, unit in teachers.UNIT_FOR_DIVISION.items()
            if t.pending_by_division.get(division, 0) > 0
        )
        out.append(db.record(LeaverDuty, t, acting=units))
    return out


def accounts_to_delay(con: Connection, year: int, semester: int) -> list[AccountDelay]:
    """Staff whose 帳號停用日期 is set and who still have pending items as of 資料截至: the
    closing should wait until they are certified. Earliest closing first."""
    out = [
        db.record(AccountDelay, t, days_left=t.account_days_left, already_past=t.account_state == "closed")
        for t in teachers.board(con, year, semester)
        if t.account_disabled_on is not None and t.pending > 0
    ]
    return sorted(out, key=lambda a: (a.account_disabled_on, a.code))
