"""The sign-in form: the only thing a visitor sees until they sign in."""

from __future__ import annotations

import streamlit as st

from dashboard import auth
from ui import state


def render() -> None:
    st.title("學生學習歷程檔案工作小組儀表板")
    st.caption("國立新竹高級工業職業學校")
    with st.form("login_form", border=True):
        username = st.text_input("帳號", key="login_username", autocomplete="username")
        password = st.text_input(
            "密碼", type="password", key="login_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("登入", type="primary", key="login_submit", icon=":material/login:")
    if submitted:
        try:
            user = auth.authenticate(state.connection(), username, password, address=state.client_address())
        except auth.SignInLocked as locked:
            st.error(str(locked), icon=":material/lock_clock:")
            return
        if user is None:
            st.error("帳號或密碼不正確。", icon=":material/error:")
        else:
            state.sign_in(user)
            st.rerun()
