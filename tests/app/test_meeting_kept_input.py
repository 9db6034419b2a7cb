"""A meeting form's unsaved input outlives its session (issue [8/11] finding 6): a reload, a lost
connection or an expired sign-in ends Streamlit's session state, but the same account opening
the same meeting in a new session gets back what it typed — a refused save with its refusal —
with a notice; another account never does; a form merely opened keeps nothing; saving or
choosing the newest version forgets it."""

from __future__ import annotations

from pathlib import Path

from dashboard import db
from dashboard.records import meetings
from tests.app.conftest import page_test, texts
from tests.app.test_meetings import SECRETARY, _open, _reload, _stored_meeting
from ui import meeting_state

NOTICE = "尚未儲存的內容"


def test_typed_input_comes_back_in_a_new_session_of_the_same_account(demo_db: Path) -> None:
    m = _stored_meeting(demo_db)
    first = _open(str(m.meeting_id))
    first.text_input(key="mt_place").input("視聽教室").run()
    first.text_input(key="mt_recorder").input("新的紀錄").run()
    # the browser reloads: a new session, the same signed-in account
    again = _open(str(m.meeting_id))
    assert not again.exception
    assert again.text_input(key="mt_place").value == "視聽教室"
    assert again.text_input(key="mt_recorder").value == "新的紀錄"
    assert any(NOTICE in i.value for i in again.info), [i.value for i in again.info]
    # saving it stores it and forgets it: the next session opens the saved meeting, no notice
    again.button(key="mtb_save").click().run()
    assert _reload(demo_db, m.meeting_id).place == "視聽教室"
    later = _open(str(m.meeting_id))
    assert later.text_input(key="mt_place").value == "視聽教室"
    assert NOTICE not in texts(later)


def test_a_refused_save_comes_back_refused_with_its_input(demo_db: Path) -> None:
    m = _stored_meeting(demo_db)
    first = _open(str(m.meeting_id))
    with db.connect(demo_db) as con:  # someone else saves meanwhile
        meetings.save(con, meetings.as_draft(m), SECRETARY, m.meeting_id, expected_version=m.version)
    first.text_input(key="mt_place").input("我的地點").run()
    first.button(key="mtb_save").click().run()
    assert any("沒有儲存" in e.value for e in first.error)
    again = _open(str(m.meeting_id))
    assert again.text_input(key="mt_place").value == "我的地點"
    assert any("沒有儲存" in e.value for e in again.error)  # still told why, still refused
    # giving it up loads the newest and forgets the kept input
    again.button(key="mtb_reload").click().run()
    assert again.text_input(key="mt_place").value == m.place
    assert NOTICE not in texts(_open(str(m.meeting_id)))


def test_a_form_only_opened_keeps_nothing_and_another_account_gets_nothing(demo_db: Path) -> None:
    m = _stored_meeting(demo_db)
    opened = _open(str(m.meeting_id))
    opened.run()
    opened.run()
    assert meeting_state._KEPT == {}
    opened.text_input(key="mt_place").input("別人看不到").run()
    assert len(meeting_state._KEPT) == 1
    other = page_test("pages.meetings", "管理者", {"meeting": str(m.meeting_id), "year": "113"}).run()
    assert other.session_state["auth_user"].username != SECRETARY.username
    assert other.text_input(key="mt_place").value == m.place
    assert NOTICE not in texts(other)
