"""工作小組會議 through AppTest: creating, editing, confirming and unlocking a meeting, the
quorum rule, the topic tags, the carry-over of open resolutions, and a stale second save.

Meetings are created in 113-2, a semester the demo's seeded meetings leave alone, so every
expectation comes from what the test itself put in."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard import auth, db
from dashboard.records import committee, meetings, resolutions
from tests.app.conftest import page_test, texts
from tests.meeting_helpers import draft_on

SECRETARY = auth.User("secretary", "教務主任（示範）", "執行秘書")
HELD = date(2025, 3, 12)


def _attendance(present: int) -> list[meetings.Attendance]:
    return [
        meetings.Attendance(s.seat_no, f"委員{s.seat_no}", "出席" if s.seat_no <= present else "請假")
        for s in committee.SEATS
    ]


def _stored_meeting(demo_db: Path, **changes: Any) -> meetings.Meeting:
    """A valid 113-2 meeting on HELD (the next 會次) saved into the demo: all 21 present in
    第一會議室, the 報告事項 and 討論事項 the checks below name."""
    items = [
        meetings.Item("報告事項", "作業期程報告", decision="洽悉", topics=["作業期程及分工權責"]),
        meetings.Item(
            "討論事項",
            "提升準時認證率案",
            decision="照案通過",
            topics=["成效評核及獎勵"],
            owner_unit="教務處註冊組",
            due_date=date(2025, 4, 30),
        ),
    ]
    with db.connect(demo_db) as con:
        draft = draft_on(con, HELD, place="第一會議室", attendance=_attendance(21), items=items)
        return meetings.save(con, replace(draft, **changes), SECRETARY)


def _open(meeting: str, role: str = "執行秘書", year: str = "113") -> AppTest:
    at = page_test("pages.meetings", role, {"meeting": meeting, "year": year})
    at.session_state["auth_user"] = auth.User("secretary", "教務主任（示範）", role)
    return at.run()


def _reload(demo_db: Path, meeting_id: int) -> meetings.Meeting:
    with db.connect(demo_db) as con:
        return meetings.load(con, meeting_id)


def _fill_new(at: AppTest, present: int = 21) -> int:
    """Fill the new-meeting form for 113-2 with one 討論事項; returns the item's uid."""
    at.selectbox(key="mt_semester").select(2)
    at.date_input(key="mt_held_on").set_value(HELD)
    at.text_input(key="mt_place").input("行政大樓第一會議室")
    at.text_input(key="mt_chair").input("委員1")
    at.text_input(key="mt_recorder").input("委員9")
    at.session_state["mt_att_base"] = pd.DataFrame(
        [
            {"席次": a.seat_no, "職稱": committee.SEAT_BY_NO[a.seat_no].name, "姓名": a.person_name}
            | {"出席情形": a.attendance, "代理人": ""}
            for a in _attendance(present)
        ]
    )
    at.button(key="mtb_add_item").click().run()
    uid = at.session_state["mt_items"][-1]
    at.text_input(key=f"mt_i{uid}_title").input("辦理系統操作訓練案")
    at.text_area(key=f"mt_i{uid}_decision").input("照案通過，於四月辦理兩場。")
    return int(uid)


def test_a_new_meeting_is_refused_without_topics_then_saved_with_them(demo_db: Path) -> None:
    at = _open("new")
    assert not at.exception
    uid = _fill_new(at)
    at.button(key="mtb_save").click().run()
    assert not at.exception
    message = "請至少勾選一項第四點工作事項"
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    # the refused form keeps what was typed
    assert at.text_input(key=f"mt_i{uid}_title").value == "辦理系統操作訓練案"
    assert at.text_input(key="mt_place").value == "行政大樓第一會議室"

    at.multiselect(key=f"mt_i{uid}_topics").select("學生訓練教師研習及親師說明會").select("平臺運作及管理")
    at.button(key="mtb_save").click().run()
    assert not at.exception
    meeting_id = int(at.query_params["meeting"])
    stored = _reload(demo_db, meeting_id)
    assert stored.session_label.startswith("113學年度第2學期第")
    assert [i.title for i in stored.items] == ["辦理系統操作訓練案"]
    assert stored.items[0].topics == ["平臺運作及管理", "學生訓練教師研習及親師說明會"]
    assert any("已儲存" in s.value for s in at.success)

    with db.connect(demo_db) as con:
        c = resolutions.compliance(con, 113, 2, date(2026, 11, 29))
    assert "學生訓練教師研習及親師說明會" in c.topics_decided
    assert stored.session_label in c.sessions


def test_editing_saves_a_new_version_and_a_stale_second_save_is_refused(demo_db: Path) -> None:
    m = _stored_meeting(demo_db)
    at = _open(str(m.meeting_id))
    assert at.text_input(key="mt_place").value == "第一會議室"
    # someone else saves in between
    with db.connect(demo_db) as con:
        other = meetings.as_draft(m)
        other.recorder = "另一位紀錄"
        meetings.save(con, other, SECRETARY, m.meeting_id, expected_version=m.version)
    at.text_input(key="mt_place").input("圖書館會議室")
    at.button(key="mtb_save").click().run()
    assert not at.exception
    assert any("第 2 版" in e.value and "沒有儲存" in e.value for e in at.error), [e.value for e in at.error]
    assert at.text_input(key="mt_place").value == "圖書館會議室"  # the input is kept
    stored = _reload(demo_db, m.meeting_id)
    assert (stored.place, stored.recorder, stored.version) == ("第一會議室", "另一位紀錄", 2)

    at.button(key="mtb_reload").click().run()
    assert at.text_input(key="mt_recorder").value == "另一位紀錄"
    at.text_input(key="mt_place").input("圖書館會議室")
    at.button(key="mtb_save").click().run()
    stored = _reload(demo_db, m.meeting_id)
    assert (stored.place, stored.recorder, stored.version) == ("圖書館會議室", "另一位紀錄", 3)


def test_confirm_locks_the_minutes_and_unlock_needs_a_reason(demo_db: Path) -> None:
    m = _stored_meeting(demo_db)
    at = _open(str(m.meeting_id))
    at.button(key="meeting_confirm").click().run()
    assert not at.exception
    assert _reload(demo_db, m.meeting_id).status == meetings.CONFIRMED
    assert not [b for b in at.button if b.key == "mtb_save"]  # locked: no save button
    assert "提升準時認證率案" in texts(at)

    at.button(key="meeting_unlock").click().run()
    assert any("解除鎖定的原因" in e.value for e in at.error)
    assert _reload(demo_db, m.meeting_id).status == meetings.CONFIRMED
    at.text_input(key="meeting_unlock_reason").input("更正決議文字")
    at.button(key="meeting_unlock").click().run()
    assert not at.exception
    assert _reload(demo_db, m.meeting_id).status == meetings.DRAFT
    with db.connect(demo_db) as con:
        log = meetings.events(con, m.meeting_id)
    assert [e["action"] for e in log] == ["建立", "確認", "解除鎖定"]
    assert log[-1]["reason"] == "更正決議文字"
    shown = next(d.value for d in at.dataframe if "動作" in d.value.columns)
    assert list(shown["動作"]) == ["建立", "確認", "解除鎖定"]
    assert list(shown["原因"])[-1] == "更正決議文字"
    assert [b for b in at.button if b.key == "mtb_save"]  # editable again


def test_the_quorum_rule_shows_live_and_blocks_confirmation(demo_db: Path) -> None:
    at = _open("new")
    _fill_new(at, present=11)
    assert any("已達法定人數 11 人" in s.value for s in at.success)
    _fill_new(at, present=10)
    assert any("未達法定人數 11 人" in w.value for w in at.warning)

    m = _stored_meeting(demo_db, attendance=_attendance(10))
    at = _open(str(m.meeting_id))
    confirm = at.button(key="meeting_confirm")
    assert confirm.disabled
    assert "未達法定人數" in texts(at)


def test_the_next_meeting_carries_over_open_resolutions_and_reports_them(demo_db: Path) -> None:
    first = _stored_meeting(demo_db)
    resolution = next(i for i in first.items if i.section == "討論事項")
    at = _open("new")
    at.selectbox(key="mt_semester").select(2)
    at.date_input(key="mt_held_on").set_value(date(2025, 5, 14))
    at.run()
    # a fresh form carries the open resolutions of meetings held before it (as opened)
    carried = at.session_state["mt_fu_base"]
    assert resolution.item_id in set(carried["item_id"])
    _fill_new(at)
    uid = at.session_state["mt_items"][-1]
    at.multiselect(key=f"mt_i{uid}_topics").select("其他推動及宣導事項")
    at.session_state["mt_fu_base"] = carried.assign(
        執行情形=[
            "已完成" if i == resolution.item_id else s
            for i, s in zip(carried["item_id"], carried["執行情形"], strict=True)
        ],
        說明=[
            "四月已辦理兩場" if i == resolution.item_id else n
            for i, n in zip(carried["item_id"], carried["說明"], strict=True)
        ],
    )
    at.date_input(key="mt_held_on").set_value(date(2025, 5, 14))
    at.button(key="mtb_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error]
    second = _reload(demo_db, int(at.query_params["meeting"]))
    reported = {f.item_id: f for f in second.follow_ups}
    assert reported[resolution.item_id].status == "已完成"
    with db.connect(demo_db) as con:
        still_open = {r.item_id for r in resolutions.open_before(con, date(2025, 7, 1), None)}
    assert resolution.item_id not in still_open


def test_the_principal_reads_the_minutes_but_cannot_edit(demo_db: Path) -> None:
    m = _stored_meeting(demo_db)
    at = _open(str(m.meeting_id), role="校長")
    assert not at.exception
    assert not [b for b in at.button if b.key in ("mtb_save", "meeting_confirm")]
    assert "提升準時認證率案" in texts(at)
    at = _open("new", role="校長")
    assert any("只有執行秘書與管理者" in e.value for e in at.error)


def test_the_list_and_the_tracker_render_for_every_role(demo_db: Path) -> None:
    _stored_meeting(demo_db)
    for role in auth.SCHOOL_WIDE:
        at = page_test("pages.meetings", role, {"year": "113"}).run()
        assert not at.exception, role
        assert "已開會議" in texts(at)
        at = page_test("pages.meetings", role, {"tab": "決議追蹤"}).run()
        assert not at.exception, role
