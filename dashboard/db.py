"""The DuckDB file: opening it, bringing its schema up to date, and running named queries.

One connection per process; every use takes its own cursor (a connection shared between
threads loses writes). Queries live in `queries/NAME.sql` and are bound with `$name`
parameters from a dict, never formatted into the text. This module must not import streamlit.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_DB = ROOT / "data" / "portfolio.duckdb"

# Rules from the regulation (metrics.md), effective from 學年度 108, the first year of the
# learning-portfolio system; a later amendment adds a row with a later effective year.
DEFAULT_RULES: tuple[tuple[str, float, str], ...] = (
    ("outcome_upload_cap_per_semester", 6, "Art. 6(3)1"),
    ("diverse_upload_cap_per_year", 20, "Art. 6(4)"),
    ("outcome_selection_cap_per_year", 6, "Art. 7(1)"),
    ("diverse_selection_cap_per_year", 10, "Art. 7(1)"),
    ("meetings_min_per_semester", 1, "Art. 4"),
    ("trainings_min_per_type_per_year", 1, "Art. 10"),
    ("retention_years_after_graduation", 5, "Art. 8"),
    ("receipt_window_min_days", 3, "作業要點"),
    ("upload_end_min_days_after_closing", 14, "作業要點"),
    ("dispute_answer_max_days", 3, "作業要點"),
    ("commendation_min_items", 10, "獎勵標準"),
    ("commendation_on_time_rate", 0.95, "獎勵標準"),
)
RULES_EFFECTIVE_FROM = 108

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class DatabaseBusyError(RuntimeError):
    """The database file is held by another process (the running dashboard)."""


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get("PORTFOLIO_DB")
    return Path(env) if env else DEFAULT_DB


PRIVATE = 0o600  # names, addresses and the audit log: for the account that runs the dashboard


def keep_files_private() -> None:
    """Files this process creates from now on (the database, its WAL, backups) are readable by
    its own account only: the server and the command line call this first."""
    os.umask(0o077)


def _make_private(p: Path) -> None:
    for f in (p, p.with_name(p.name + ".wal")):
        if f.exists() and (f.stat().st_mode & 0o777) != PRIVATE:
            os.chmod(f, PRIVATE)


def connect(path: str | os.PathLike[str] | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database and apply pending migrations. The file and its
    WAL are made 0600 (an older install left them readable by every account)."""
    p = db_path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(p))
    except duckdb.IOException as exc:
        raise DatabaseBusyError(
            f"資料庫檔案 {p.name} 正由另一個程式使用中（例如執行中的儀表板）；請先關閉它再試。"
        ) from exc
    migrate(con)
    _make_private(p)
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    cur = con.cursor()
    try:
        cur.execute(
            "create table if not exists schema_migrations (name varchar primary key, applied_at timestamp)"
        )
        done = {r[0] for r in cur.execute("select name from schema_migrations").fetchall()}
        for f in sorted(MIGRATIONS_DIR.glob("*.sql")):
            if f.name in done:
                continue
            cur.execute("begin transaction")
            try:
                cur.execute(f.read_text(encoding="utf-8"))
                if f.name == "001_init.sql":
                    seed_rules(cur)
                cur.execute(
                    "insert into schema_migrations values ($name, $at)",
                    {"name": f.name, "at": datetime.now()},
                )
                cur.execute("commit")
            except Exception:
                cur.execute("rollback")
                raise
    finally:
        cur.close()


def seed_rules(cur: duckdb.DuckDBPyConnection) -> None:
    for key, value, source in DEFAULT_RULES:
        cur.execute(
            "insert into rules values ($key, $value, $year, $source)",
            {"key": key, "value": value, "year": RULES_EFFECTIVE_FROM, "source": source},
        )


@cache
def load_query(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"bad query name: {name!r}")
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def query_params(sql: str) -> list[str]:
    """The `$name` parameters a query text uses, in order of first use (comments ignored)."""
    body = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    seen: dict[str, None] = {}
    for m in _PARAM.finditer(body):
        seen.setdefault(m.group(1), None)
    return list(seen)


def bind(sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Exactly the parameters the query uses; a missing one is a programming error."""
    names = query_params(sql)
    missing = [n for n in names if n not in params]
    if missing:
        raise KeyError(f"query needs parameters {missing}")
    return {n: params[n] for n in names}


def query_df(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run `queries/NAME.sql` on its own cursor and return a DataFrame."""
    sql = load_query(name)
    cur = con.cursor()
    try:
        return cur.execute(sql, bind(sql, params)).df()
    finally:
        cur.close()


def query_rows(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[dict[str, Any]]:
    sql = load_query(name)
    cur = con.cursor()
    try:
        rel = cur.execute(sql, bind(sql, params))
        cols = [d[0] for d in rel.description or []]
        return [dict(zip(cols, row, strict=True)) for row in rel.fetchall()]
    finally:
        cur.close()


R = TypeVar("R")


_TEXT_FIELDS: dict[type, frozenset[str]] = {}


def _plain_text_fields(cls: type) -> frozenset[str]:
    # a field annotated `str` (the text "str" under postponed annotations), not `str | None`
    if cls not in _TEXT_FIELDS:
        _TEXT_FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls) if f.type in (str, "str"))
    return _TEXT_FIELDS[cls]


def record(cls: type[R], source: Mapping[str, Any] | object, **given: Any) -> R:
    """The dataclass `cls` from a query row (or from another record): each field takes the
    column (or attribute) of its name unless `given`; a NULL where the field is a plain `str`
    becomes "" (a blank text, as the forms hold it); a field the source lacks keeps its default.

    The one place a row becomes an object, so a builder names only what it computes or renames.
    """
    text = _plain_text_fields(cls)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        if field.name in given:
            values[field.name] = given[field.name]
            continue
        if isinstance(source, Mapping):
            if field.name not in source:
                continue
            value = source[field.name]
        elif hasattr(source, field.name):
            value = getattr(source, field.name)
        else:
            continue
        values[field.name] = "" if value is None and field.name in text else value
    return cls(**values)


def first_row(result: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """The first row of an executed statement, with the result read to its end: DuckDB refuses
    to register or unregister a frame on a cursor whose last result is still half read."""
    rows = result.fetchall()
    return rows[0] if rows else None


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor inside one transaction: committed on success, rolled back on any error."""
    cur = con.cursor()
    cur.execute("begin transaction")
    try:
        yield cur
        cur.execute("commit")
    except BaseException:
        cur.execute("rollback")
        raise
    finally:
        cur.close()


def rule_value(con: duckdb.DuckDBPyConnection, key: str, year: int) -> float | None:
    """The rule in force in 學年度 `year`: the latest row effective on or before it."""
    rows = query_rows(con, "rule_value", key=key, year=year)
    return rows[0]["value"] if rows else None


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows in one table, named as an identifier (DuckDB resolves it; no SQL text is built)."""
    rows = con.table(table).count("*").fetchall()
    return int(rows[0][0]) if rows else 0


def as_of(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """資料截至: the newest export time among the imports whose rows are in the database.

    It is the dashboard's 'now' (days left, ages of pending items), so the demo reads the same
    on any day and real exports give true figures.
    """
    rows = query_rows(con, "data_as_of")
    value = rows[0]["as_of"] if rows else None
    return value if isinstance(value, datetime) else None
