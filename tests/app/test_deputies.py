"""代理人 (Art. 11) through AppTest on the demo school: who may edit, the designations of a 學年度,
the teachers gone with pending items and the accounts to keep open, editing a unit's list through
its data editor (and a refused list writing nothing), and copying last year's list forward.

Every expectation comes from the core (dashboard.records.deputies, teachers, metrics) on the test's own
copy of the demo database, never a number copied from the seed."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, db
from dashboard.formatting import roc_date
from dashboard.measures import metrics, teachers
from dashboard.records import deputies
from tests.app.conftest import page_test, table_with, texts

PAGE = "pages.deputies"
EDITOR = "註冊組"
UNIT = "輔導室"  # the demo designates two people for it in 115
COPY_DONE = "已帶入上一學年度的代理人。"


def _run(role: str = EDITOR, year: int = 115) -> AppTest:
    at = page_test(PAGE, role, {"year": str(year)}).run()
    assert not at.exception, at.exception
    return at


def _keys(at: AppTest) -> list[str]:
    return [b.key for b in at.button if b.key]


def _designations(at: AppTest) -> list[tuple[str, int, str, str, str]]:
    table = table_with(at, "代理順位")
    return [
        (r["單位"], int(r["代理順位"]), r["姓名"], r["教職員代碼"], r["備註"])
        for r in table.to_dict("records")
    ]


def _expected_designations(stored: dict[str, list[deputies.Deputy]]) -> list[tuple[str, int, str, str, str]]:
    return [
        (unit, d.rank, d.person_name, d.staff_code or "", d.note)
        for unit in deputies.UNITS
        for d in stored.get(unit, [])
    ]


def _load(demo_db: Path, year: int) -> dict[str, list[deputies.Deputy]]:
    con = db.connect(demo_db)
    try:
        return deputies.load(con, year)
    finally:
        con.close()


def _all_rows(demo_db: Path) -> list[tuple[Any, ...]]:
    con = db.connect(demo_db)
    try:
        return con.execute("select * from deputies order by all").fetchall()
    finally:
        con.close()


def _newest_semester(con: Any, year: int) -> tuple[int, int]:
    """The semester the page lists leavers for: the newest of the chosen 學年度."""
    return max(s for s in metrics.semesters_available(con) if s[0] == year)


# --- 1. who sees what ----------------------------------------------------------------------------


def test_every_role_sees_the_page_and_only_editors_get_save_and_copy(demo_db: Path) -> None:
    empty_year = 113  # offered (the demo has 113 semesters) but the demo designates no one for it
    assert not any(_load(demo_db, empty_year).values())
    assert any(_load(demo_db, 115).values())
    for role in auth.SCHOOL_WIDE:
        editable = auth.User("x", "x", role).can("edit_records")
        at = _run(role, 115)
        assert "代理人" in [t.value for t in at.title], role
        assert _designations(at), role
        saves = [k for k in _keys(at) if k.startswith("deputies_save_")]
        assert bool(saves) == editable, (role, saves)
        assert "deputies_copy" not in _keys(at), role  # 115 already has deputies
        assert bool(at.data_editor) == editable, role
        at = _run(role, empty_year)
        assert ("deputies_copy" in _keys(at)) == editable, role
        assert any(k.startswith("deputies_save_") for k in _keys(at)) == editable, role


# --- 2. the designations --------------------------------------------------------------------------


@pytest.mark.parametrize("year", [114, 115])
def test_the_designations_table_is_the_cores_list_for_the_year(demo_db: Path, year: int) -> None:
    stored = _load(demo_db, year)
    assert any(stored.values())
    at = _run("校長", year)
    assert at.selectbox(key="deputies_year").value == year
    assert _designations(at) == _expected_designations(stored)
    missing = [u for u in deputies.UNITS if not stored[u]]
    shown = [w.value for w in at.warning if "尚未指定代理人的單位" in w.value]
    assert shown == ([f"{year} 學年度尚未指定代理人的單位：" + "、".join(missing)] if missing else [])


# --- 3. teachers gone with pending items, accounts to keep open -----------------------------------


def _leaver_rows(found: list[deputies.LeaverDuty]) -> list[dict[str, Any]]:
    return [
        {
            "教師代碼": t.code,
            "姓名": t.name,
            "在職狀態": t.employment_status,
            "待認證件數": t.pending,
            "認證截止": roc_date(t.deadline_date),
            "帳號停用日期": roc_date(t.account_disabled_on),
            "代為認證": "、".join(
                f"{a.unit}（{a.pending} 件，"
                + (f"代理人 {a.deputy.person_name}" if a.deputy else "尚未指定代理人")
                + "）"
                for a in t.acting
            ),
        }
        for t in found
    ]


def _account_rows(found: list[deputies.AccountDelay]) -> list[dict[str, Any]]:
    return [
        {
            "教職員代碼": a.code,
            "姓名": a.name,
            "在職狀態": a.employment_status,
            "帳號停用日期": roc_date(a.account_disabled_on),
            "狀況": "已停用，請重新開啟" if a.already_past else f"尚餘 {a.days_left} 天",
            "待認證件數": a.pending,
            "負責單位": "、".join(a.units),
        }
        for a in found
    ]


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): (None if v is None or (isinstance(v, float) and pd.isna(v)) else v) for k, v in r.items()}
        for r in table.to_dict("records")
    ]


def _assert_tables_match_core(at: AppTest, demo_db: Path, year: int) -> tuple[list[Any], list[Any]]:
    con = db.connect(demo_db)
    try:
        y, s = _newest_semester(con, year)
        leavers = deputies.leavers_with_pending(con, y, s)
        accounts = deputies.accounts_to_delay(con, y, s)
    finally:
        con.close()
    assert metrics.semester_label(y, s) in texts(at)
    successes = [m.value for m in at.success]
    if leavers:
        assert _records(table_with(at, "代為認證")) == _leaver_rows(leavers)
    else:
        assert not [d for d in at.dataframe if "代為認證" in d.value.columns]
        assert "沒有離職或請假而仍有待認證項目的教師。" in successes
    if accounts:
        assert _records(table_with(at, "負責單位")) == _account_rows(accounts)
    else:
        assert not [d for d in at.dataframe if "負責單位" in d.value.columns]
        assert "沒有帳號停用日期早於待認證項目完成的教職員。" in successes
    return leavers, accounts


def test_leavers_and_accounts_match_the_core_with_the_acting_deputy(demo_db: Path) -> None:
    year = 115
    _assert_tables_match_core(_run("校長", year), demo_db, year)  # the demo as imported
    con = db.connect(demo_db)
    try:
        y, s = _newest_semester(con, year)
        as_of = db.as_of(con)
        assert as_of is not None
        waiting = [t for t in teachers.board(con, y, s) if t.pending > 0 and not t.departed]
        gone, on_leave, staying = next(t for t in waiting if t.deadline_date is not None), *waiting[-2:]
        assert len({gone.code, on_leave.code, staying.code}) == 3
        assert gone.deadline_date is not None
        closes_on = gone.deadline_date - timedelta(days=1)  # before the pending items' deadline
        assert closes_on > as_of.date()
        con.execute(
            "update staff set employment_status = '離職', account_disabled_on = $d where staff_code = $c",
            {"d": closes_on, "c": gone.code},
        )
        con.execute(
            "update staff set employment_status = '留職停薪' where staff_code = $c", {"c": on_leave.code}
        )
        con.execute(  # still 在職, but the account was closed by mistake before 資料截至
            "update staff set account_disabled_on = $d where staff_code = $c",
            {"d": as_of.date() - timedelta(days=1), "c": staying.code},
        )
        stored = deputies.load(con, year)
    finally:
        con.close()
    at = _run("校長", year)
    leavers, accounts = _assert_tables_match_core(at, demo_db, year)
    shown = table_with(at, "代為認證").set_index("教師代碼")["代為認證"]
    by_code = {t.code: t for t in leavers}
    assert {gone.code, on_leave.code} <= set(by_code)
    assert staying.code not in by_code
    mine = by_code[gone.code]
    assert mine.acting and mine.account_disabled_on == closes_on
    for acting in mine.acting:  # each unit's first deputy of the year acts
        assert acting.deputy == stored[acting.unit][0], acting
        assert f"{acting.unit}（{acting.pending} 件，代理人 {acting.deputy.person_name}）" in shown[gone.code]
    assert {a.code for a in accounts} >= {gone.code, staying.code}
    assert {a.code: a.already_past for a in accounts if a.code in (gone.code, staying.code)} == {
        gone.code: False,
        staying.code: True,
    }


# --- 4. editing a unit ----------------------------------------------------------------------------


def _open_unit(unit: str, year: int = 115) -> tuple[AppTest, str, dict[str, str]]:
    """The page with `unit` chosen for editing: the app, the editor's key, code -> offered label."""
    at = _run(EDITOR, year)
    at.selectbox(key="deputies_unit").select(unit).run()
    assert not at.exception
    key = f"deputies_editor_{year}_{unit}"
    [editor] = [d for d in at.data_editor if d.key == key]
    options = json.loads(editor.proto.columns)["人員"]["type_config"]["options"]
    return at, key, {o.split(" ", 1)[0]: o for o in options}


def _staff(demo_db: Path) -> dict[str, dict[str, Any]]:
    con = db.connect(demo_db)
    try:
        return {r["staff_code"]: r for r in db.query_rows(con, "staff_all")}
    finally:
        con.close()


def test_editing_a_unit_saves_the_edited_list_and_leaves_the_rest(demo_db: Path) -> None:
    year = 115
    before = _load(demo_db, year)
    other_year = _load(demo_db, 114)
    first, second = before[UNIT]
    staff = _staff(demo_db)
    at, key, offered = _open_unit(UNIT, year)
    assert set(offered) == {c for c, r in staff.items() if r["employment_status"] == deputies.IN_SERVICE}
    newcomer = next(c for c in sorted(offered) if c not in {first.staff_code, second.staff_code})
    # The two swap places and a third person joins at rank 3.
    at.session_state[key] = {
        "edited_rows": {
            0: {"人員": offered[str(second.staff_code)]},
            1: {"人員": offered[str(first.staff_code)]},
        },
        "added_rows": [{"順位": 3, "人員": offered[newcomer], "備註": "新增代理人"}],
        "deleted_rows": [],
    }
    at.button(key=f"deputies_save_{UNIT}").click().run()
    assert not at.exception, at.exception
    expected = [
        deputies.Deputy(1, second.staff_code, second.person_name, first.note),
        deputies.Deputy(2, first.staff_code, first.person_name, second.note),
        deputies.Deputy(3, newcomer, staff[newcomer]["name"], "新增代理人"),
    ]
    after = _load(demo_db, year)
    assert after[UNIT] == expected
    assert {u: p for u, p in after.items() if u != UNIT} == {u: p for u, p in before.items() if u != UNIT}
    assert _load(demo_db, 114) == other_year
    assert f"已儲存{UNIT}的代理人。" in [m.value for m in at.success]
    assert not at.error
    assert _designations(at) == _expected_designations(after)
    # The editor now starts from what was stored.
    [editor] = [d for d in at.data_editor if d.key == key]
    assert list(editor.value["人員"]) == [offered[str(d.staff_code)] for d in expected]


def _refused_edits(offered: dict[str, str], current: list[deputies.Deputy]) -> dict[str, dict[str, Any]]:
    first = offered[str(current[0].staff_code)]
    n = len(current)
    return {
        "the same person twice": {"added_rows": [{"順位": n + 1, "人員": first}], "deleted_rows": []},
        "a gap in the ranks": {"edited_rows": {n - 1: {"順位": n + 1}}, "added_rows": [], "deleted_rows": []},
        "a row with no one chosen": {"added_rows": [{"順位": n + 1, "備註": "待補"}], "deleted_rows": []},
        "a staff code not on the roster": {
            "added_rows": [{"順位": n + 1, "人員": "T9999 查無此人（輔導室）"}],
            "deleted_rows": [],
        },
    }


def _save_refused(demo_db: Path, case: str) -> tuple[AppTest, dict[str, str]]:
    """Open UNIT of 115, make the edits of `case`, click save; returns the app and the problems
    deputies.validate finds in the list the page hands it (the current list with the edits)."""
    year = 115
    current = _load(demo_db, year)[UNIT]
    staff = _staff(demo_db)
    at, key, offered = _open_unit(UNIT, year)
    edits = _refused_edits(offered, current)[case]
    at.session_state[key] = {"edited_rows": {}, **edits}
    rows: list[dict[str, Any]] = [
        {"順位": d.rank, "人員": offered.get(str(d.staff_code)), "備註": d.note} for d in current
    ]
    for i, change in edits.get("edited_rows", {}).items():
        rows[i] = {**rows[i], **change}
    rows += [{"順位": None, "人員": None, "備註": None, **r} for r in edits["added_rows"]]
    chosen = []
    for r in rows:
        code = str(r["人員"]).split(" ", 1)[0] if r["人員"] else ""
        person = staff.get(code)
        chosen.append(
            deputies.Deputy(int(r["順位"]), code or None, person["name"] if person else "", r["備註"] or "")
        )
    con = db.connect(demo_db)
    try:
        problems = deputies.validate(con, year, UNIT, chosen)
    finally:
        con.close()
    assert problems, case
    at.button(key=f"deputies_save_{UNIT}").click().run()
    assert not at.exception, at.exception
    return at, problems


@pytest.mark.parametrize(
    "case", ["the same person twice", "a gap in the ranks", "a staff code not on the roster"]
)
def test_a_refused_list_shows_the_cores_reasons_and_writes_nothing(demo_db: Path, case: str) -> None:
    before = _all_rows(demo_db)
    at, problems = _save_refused(demo_db, case)
    assert [e.value for e in at.error] == ["尚未儲存：" + " ".join(problems.values())]
    assert not [m.value for m in at.success if "已儲存" in m.value]
    assert _all_rows(demo_db) == before


def test_a_row_with_no_one_chosen_is_refused_and_writes_nothing(demo_db: Path) -> None:
    before = _all_rows(demo_db)
    at, problems = _save_refused(demo_db, "a row with no one chosen")
    [error] = [e.value for e in at.error]
    assert error.startswith("尚未儲存：")
    name_problem = next(v for k, v in problems.items() if k.endswith(".person_name"))
    assert name_problem in error
    assert not [m.value for m in at.success if "已儲存" in m.value]
    assert _all_rows(demo_db) == before


# --- 5. copying last year's list forward -----------------------------------------------------------


def _empty_year_with_a_deputy_gone(demo_db: Path, year: int) -> tuple[dict[str, list[deputies.Deputy]], str]:
    """Delete `year`'s designations and mark a rank-1 deputy of `year - 1` 離職; returns
    deputies.copy_forward(year) afterwards and the departed person's code."""
    con = db.connect(demo_db)
    try:
        con.execute("delete from deputies where school_year = $y", {"y": year})
        last_year = deputies.load(con, year - 1)
        gone = next(people[0] for people in last_year.values() if len(people) > 1)
        con.execute(
            "update staff set employment_status = '離職' where staff_code = $c", {"c": gone.staff_code}
        )
        proposal = deputies.copy_forward(con, year)
    finally:
        con.close()
    assert gone.staff_code is not None
    return proposal, gone.staff_code


def test_copy_forward_stores_last_years_in_service_deputies(demo_db: Path) -> None:
    year = 115
    proposal, gone = _empty_year_with_a_deputy_gone(demo_db, year)
    assert any(proposal.values())
    assert gone not in {d.staff_code for people in proposal.values() for d in people}
    at = _run(EDITOR, year)
    assert not _designations(at)
    assert any("尚未指定代理人的單位" in w.value for w in at.warning)
    at.button(key="deputies_copy").click().run()
    assert not at.exception, at.exception
    stored = _load(demo_db, year)
    assert stored == proposal
    assert COPY_DONE in [m.value for m in at.success]
    assert _designations(at) == _expected_designations(proposal)
    assert "deputies_copy" not in _keys(at)
    missing = [u for u in deputies.UNITS if not proposal[u]]
    assert bool([w for w in at.warning if "尚未指定代理人的單位" in w.value]) == bool(missing)
    at.run()  # the notice is shown once
    assert COPY_DONE not in [m.value for m in at.success]


def test_after_copy_forward_the_open_editor_shows_the_copied_list(demo_db: Path) -> None:
    year = 115
    proposal, _ = _empty_year_with_a_deputy_gone(demo_db, year)
    at = _run(EDITOR, year)
    unit = str(at.selectbox(key="deputies_unit").value)
    assert proposal[unit]
    at.button(key="deputies_copy").click().run()
    assert not at.exception
    [editor] = [d for d in at.data_editor if d.key == f"deputies_editor_{year}_{unit}"]
    assert [str(p).split(" ", 1)[0] for p in editor.value["人員"]] == [d.staff_code for d in proposal[unit]]
    at.button(key=f"deputies_save_{unit}").click().run()  # saving the copied list as shown keeps it
    assert not at.exception
    con = db.connect(demo_db)
    try:
        assert deputies.load(con, year)[unit] == proposal[unit]
    finally:
        con.close()


def test_a_second_clerks_stale_edit_is_refused_and_an_idle_editor_follows_the_new_list(demo_db: Path) -> None:
    year = 115
    before = _load(demo_db, year)[UNIT]
    first_clerk, key, offered = _open_unit(UNIT, year)
    second_clerk, _, _ = _open_unit(UNIT, year)
    idle_clerk, _, _ = _open_unit(UNIT, year)
    newcomer = next(c for c in sorted(offered) if c not in {d.staff_code for d in before})
    first_clerk.session_state[key] = {
        "edited_rows": {},
        "added_rows": [{"順位": len(before) + 1, "人員": offered[newcomer], "備註": "第一位加入"}],
        "deleted_rows": [],
    }
    first_clerk.button(key=f"deputies_save_{UNIT}").click().run()
    assert not first_clerk.error, [e.value for e in first_clerk.error]
    saved = _load(demo_db, year)[UNIT]
    assert [d.staff_code for d in saved] == [*(d.staff_code for d in before), newcomer]

    # the second clerk edited the list as it was before: refused, nothing overwritten, edits kept
    second_clerk.session_state[key] = {
        "edited_rows": {0: {"備註": "第二位修改"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    second_clerk.button(key=f"deputies_save_{UNIT}").click().run()
    assert not second_clerk.exception
    assert any("在您開啟後已被修改" in e.value and UNIT in e.value for e in second_clerk.error)
    assert _load(demo_db, year)[UNIT] == saved
    # the clerk's edits stay in the editor, still over the list they started from
    assert second_clerk.session_state[key]["edited_rows"] == {0: {"備註": "第二位修改"}}
    [editor] = [d for d in second_clerk.data_editor if d.key == key]
    assert [str(p).split(" ", 1)[0] for p in editor.value["人員"]] == [d.staff_code for d in before]
    second_clerk.button(key=f"deputies_reload_{UNIT}").click().run()
    assert not second_clerk.exception and not second_clerk.error
    [editor] = [d for d in second_clerk.data_editor if d.key == key]
    assert [str(p).split(" ", 1)[0] for p in editor.value["人員"]] == [d.staff_code for d in saved]

    # a clerk with the page open but no edits simply sees the new list on the next rerun
    idle_clerk.run()
    [editor] = [d for d in idle_clerk.data_editor if d.key == key]
    assert [str(p).split(" ", 1)[0] for p in editor.value["人員"]] == [d.staff_code for d in saved]
