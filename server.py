"""The web server: Streamlit's ASGI app around app.py, with the routes and checks Streamlit lacks.

`streamlit run server.py` (what `python3 manage.py run` does) finds `app` below and serves
app.py through it, with dashboard.web_gate's routes and middleware:
- /auth/claim?t=… trades a one-time token (made by a sign-in, dashboard.sessions) for the
  session cookie: signed, HttpOnly, SameSite=Strict. A reload keeps the session.
- /auth/end clears the cookie at sign-out.
- Every /media/… address (each download and each generated file) and /_stcore/metrics answers
  only to a live session, and each download is written to the audit log with who fetched it.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import Route

from dashboard import db, web_gate

db.keep_files_private()  # the database, its WAL and the key: for the account running the server
app = st.App(
    "app.py",
    routes=[Route("/auth/claim", web_gate.claim), Route("/auth/end", web_gate.end)],
    middleware=[Middleware(web_gate.SessionGate)],
)
