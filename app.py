"""Router only: page config, the sign-in gate, and the navigation.

Pages are functions in pages/*.py handed to st.Page, so a page module never renders on import.
A pages/ folder also switches on Streamlit's older file-based routing, which can run a page
file directly on a deep link before this script has ever run; each page file therefore ends
with `gate.page_run_directly()` (ui/gate.py), which sends that visitor through sign-in too
without importing this module: nothing imports app.py.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import streamlit as st

from dashboard import audit
from pages import audit as audit_page
from pages import (
    committee,
    data_quality,
    deputies,
    diverse,
    enrolment,
    import_data,
    meetings,
    notices,
    overview,
    pipeline,
    receipts,
    retention,
    schedule,
    submissions,
    teachers,
    trainings,
    trends,
)
from ui import login, state
from ui.common import roc_datetime

log = logging.getLogger("portfolio.app")
# A local icon: a :material/: page icon is fetched from an outside font server, and the school
# intranet has none.
ASSETS = Path(__file__).resolve().parent / "assets"


class Route(NamedTuple):
    render: Callable[[], None]
    title: str
    icon: str
    url_path: str  # = the page's file name in pages/, so both of Streamlit's routers agree;
    # the first route is the default page, which Streamlit serves at / whatever its url_path.
    permission: str
    section: str = "儀表板"  # the sidebar's group heading


ROUTES: tuple[Route, ...] = (
    Route(overview.render, "總覽", ":material/dashboard:", "overview", "view_dashboard"),
    Route(pipeline.render, "學期進度", ":material/timeline:", "pipeline", "view_dashboard"),
    Route(teachers.render, "教師認證", ":material/fact_check:", "teachers", "view_dashboard"),
    Route(diverse.render, "多元表現與諮詢", ":material/emoji_events:", "diverse", "view_dashboard"),
    Route(trends.render, "趨勢", ":material/trending_up:", "trends", "view_dashboard"),
    Route(submissions.render, "提交", ":material/send:", "submissions", "view_dashboard"),
    Route(receipts.render, "收訖確認", ":material/mark_email_read:", "receipts", "view_dashboard"),
    Route(notices.render, "紙本通知", ":material/mail:", "notices", "view_dashboard"),
    Route(enrolment.render, "學籍異動", ":material/swap_horiz:", "enrolment", "view_dashboard"),
    Route(retention.render, "資料保存", ":material/inventory_2:", "retention", "view_dashboard"),
    Route(meetings.render, "工作小組會議", ":material/groups:", "meetings", "view_dashboard", "工作小組"),
    Route(committee.render, "工作小組名冊", ":material/badge:", "committee", "view_dashboard", "工作小組"),
    Route(schedule.render, "作業期程", ":material/event_note:", "schedule", "view_dashboard", "學校紀錄"),
    Route(trainings.render, "研習場次", ":material/school:", "trainings", "view_dashboard", "學校紀錄"),
    Route(
        deputies.render, "代理人", ":material/supervisor_account:", "deputies", "view_dashboard", "學校紀錄"
    ),
    Route(import_data.render, "資料匯入", ":material/upload_file:", "import_data", "import_data", "資料管理"),
    Route(
        data_quality.render, "資料品質", ":material/rule:", "data_quality", "view_data_quality", "資料管理"
    ),
    Route(audit_page.render, "稽核紀錄", ":material/policy:", "audit", "view_audit", "資料管理"),
)


def _sidebar(user_name: str, role: str) -> None:
    with st.sidebar:
        st.caption(f"{user_name}（{role}）")
        st.caption(f"資料截至 {roc_datetime(state.as_of())}")
        if st.button("登出", key="logout", icon=":material/logout:"):
            state.sign_out()
            st.rerun()


def _tell_browser(address: str) -> None:
    """Have the browser fetch one of server.py's /auth/ addresses (which set or clear the
    session cookie): a Streamlit run cannot set a response header itself. An image request, not
    a script in a frame: it needs no JavaScript and leaves no frame behind. Without server.py
    (AppTest, a bare `streamlit run app.py`) the request fails quietly and the tab's own sign-in
    still works; only a reload signs out."""
    st.html(f'<img src="{html.escape(address)}" alt="" width="0" height="0" style="display:none">')


def main() -> None:
    st.set_page_config(
        page_title="學習歷程工作小組儀表板", page_icon=str(ASSETS / "favicon.svg"), layout="wide"
    )
    user = state.current_user()
    if user is None:
        if st.session_state.pop(state.ENDED_KEY, False):
            _tell_browser("/auth/end")
        if st.session_state.get(state.EXPIRED_KEY):
            st.info("閒置超過 30 分鐘，已自動登出；請重新登入。", icon=":material/timer_off:")
        # Every address answers with the sign-in form, so a deep link neither reveals a page nor
        # says "page not found"; after signing in the visitor lands on the page they asked for.
        gate = [
            st.Page(login.render, title="登入", url_path=r.url_path, default=(i == 0))
            for i, r in enumerate(ROUTES)
        ]
        st.navigation(gate, position="hidden").run()
        return
    sections: dict[str, list[st.Page]] = {}
    for i, r in enumerate(ROUTES):
        if user.can(r.permission):
            sections.setdefault(r.section, []).append(
                st.Page(r.render, title=r.title, icon=r.icon, url_path=r.url_path, default=(i == 0))
            )
    _sidebar(user.display_name, user.role)
    claim = st.session_state.pop(state.CLAIM_KEY, None)
    if claim:
        with st.sidebar:
            _tell_browser(f"/auth/claim?t={claim}")
    # Every page listed: folded behind "View more" the working group's pages would be hidden.
    page = st.navigation(sections, expanded=True)
    try:
        # Every audit entry this run writes names the page and the client's address.
        with audit.acting_from(page.title, state.client_address()):
            page.run()
    except Exception:
        # A user never sees a traceback (config hides them); the server log keeps it for us.
        log.exception("page %s failed", page.url_path)
        st.error(
            "這個頁面發生未預期的錯誤，已記錄在伺服器紀錄中。您輸入的資料沒有寫入一半；請稍後再試或告知系統管理者。",
            icon=":material/error:",
        )


if __name__ == "__main__":
    main()
