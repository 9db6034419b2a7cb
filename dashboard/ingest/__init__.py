"""Ingest: the way in. The platform's and the school system's export files are read (readers,
their text decoded by decoding, with the Excel pre-scans excel_guard / xls_guard / xlsx_guard
that refuse hostile files before a reader allocates), recognised and checked against the kinds
of export (kinds, normalize, validate), given their (學年度, 學期, 部別) scopes (scopes), checked
against what is stored (db_checks), planned (preview: what an import will replace) and written
all or nothing (importer, its transaction in writer), with the replaced rows kept for undo
(undo). Nothing here knows of measures, records, registry work or documents.
"""
