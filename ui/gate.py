"""The sign-in gate for a page file that Streamlit ran by itself.

A pages/ folder beside app.py switches on Streamlit's older file-based routing until some
session has run st.navigation (app.py's router does on its first run, and from then on the
folder is ignored for every session). So the very first visit after the server starts, if it
is a deep link such as /import_data, runs pages/import_data.py as a script instead of app.py.
Each page file ends with `gate.page_run_directly()` for that case: it switches the file-based
routing off — exactly what st.navigation does — and shows the sign-in form; the run after
signing in goes through app.py, whose router lands on the page the link asked for (the page's
url_path equals its file name, so both routers name it alike). Pages never import app.py.
"""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager

from ui import login


def page_run_directly() -> None:
    PagesManager.uses_pages_directory = False
    login.render()
