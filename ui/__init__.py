"""Streamlit-side helpers shared by app.py and the pages (the core in dashboard/ stays headless)."""
