"""身分證號 handling: a keyed hash for matching and a masked form for display.

The clear number is turned into HMAC-SHA256 with a per-install secret the moment a cell is
parsed; only the hash and the mask (`A12****789`) travel further. The secret is the env var
PORTFOLIO_SECRET, else a random key in `.secret_key` beside the database file (created with
mode 0600 on first use). This module must never log, return or store the clear value.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import duckdb

from dashboard.ingest.normalize import clean

SECRET_ENV = "PORTFOLIO_SECRET"
SECRET_FILE = ".secret_key"

# An in-memory database lives as long as the process: so may the key of its hashes.
_PROCESS_KEY = secrets.token_bytes(32)


def secret_for_file(db_file: Path) -> bytes:
    """The install's key: PORTFOLIO_SECRET, else `.secret_key` beside `db_file` (created 0600)."""
    env = os.environ.get(SECRET_ENV)
    if env:
        return env.encode("utf-8")
    key_file = db_file.resolve().parent / SECRET_FILE
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = key_file.read_bytes().strip()
        if not key:
            raise RuntimeError(f"金鑰檔 {key_file} 是空的；請從備份還原，否則身分證號無法比對。") from None
        return key
    key = secrets.token_hex(32).encode("ascii")
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    return key


def secret_for(con: duckdb.DuckDBPyConnection) -> bytes:
    """The key for the database `con` is connected to."""
    cur = con.cursor()
    try:
        row = cur.execute(
            "select path from duckdb_databases() where database_name = current_database()"
        ).fetchone()
    finally:
        cur.close()
    path = row[0] if row else None
    if not path:
        return os.environ.get(SECRET_ENV, "").encode("utf-8") or _PROCESS_KEY
    return secret_for_file(Path(path))


def hash_id(secret: bytes, id_number: str) -> str:
    return hmac.new(secret, id_number.encode("utf-8"), hashlib.sha256).hexdigest()


def mask_id(id_number: str) -> str:
    """First three and last three characters around four stars; shorter values are all stars."""
    if len(id_number) < 7:
        return "****"
    return f"{id_number[:3]}****{id_number[-3:]}"


def mask_cell(raw: str) -> str:
    """A raw ID cell as it may appear in a problem message (cleaned, then masked)."""
    return mask_id((clean(raw) or "").upper())


def mask_name(name: str | None) -> str | None:
    """王小明 → 王○明, 李華 → 李○: enough for a meeting to recognise a case, not a person."""
    if not name:
        return name
    if len(name) <= 2:
        return name[0] + "○"
    return name[0] + "○" * (len(name) - 2) + name[-1]
