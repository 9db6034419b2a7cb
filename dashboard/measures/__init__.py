"""Measures: the figures of spec/metrics.md over the imported data. metrics holds the
contract's per-semester and per-year objects (the command line prints them); pipeline and
pipeline_tables the phase-by-phase progress; teachers the certification board; diverse,
enrolment, trends and targets the other pages' figures and the goals they are judged against.
Read-only over the database; knows nothing of the pages, the demo or the documents.
"""
