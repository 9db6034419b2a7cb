"""Demo: the whole generator of the demonstration school — its people, courses, outcomes,
diverse records, submissions, meetings and records, written as the export files in data/demo/
(bundle, `python -m dashboard.demo.bundle`) and imported through the real importer (build). Nothing in
the core imports it; only the command line, the tests and the benchmark do.
"""
