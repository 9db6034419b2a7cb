"""Headless core of the learning-portfolio working group's dashboard.

Everything here runs without Streamlit (a test enforces it): the database, the importer, the
rules, the metrics, authentication and the command line.
"""
