"""The audit log: who did what, when, from where — append-only.

`record` is the only writer and it only inserts; reads are for the audit page and for the
sign-in lock-out. Base module: it imports no room. This module must not import streamlit.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

Connection = duckdb.DuckDBPyConnection

SIGN_IN_OK = "登入成功"
SIGN_IN_FAILED = "登入失敗"
SIGN_IN_LOCKED = "登入鎖定"
_NAME_LIMIT = 64  # what a failed sign-in typed as the account is kept, cut to this length


def record(
    cur: Connection,
    action: str,
    username: str | None,
    *,
    detail: str | None = None,
    page: str | None = None,
    address: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append one entry (on `cur`, so it commits or rolls back with the change it describes)."""
    cur.execute(
        "insert into audit_log (happened_at, username, action, detail, page, address)"
        " values ($at, $username, $action, $detail, $page, $address)",
        {
            "at": at or datetime.now(),
            "username": None if username is None else username[:_NAME_LIMIT],
            "action": action,
            "detail": detail,
            "page": page,
            "address": address,
        },
    )
