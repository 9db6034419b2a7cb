"""Signed-in sessions the browser keeps in a cookie, so a reload stays signed in and a download
can be checked against the person who asked for it.

The cookie holds a random session id and its HMAC under a key of this process; the sessions
themselves live in this process too (a restart signs everyone out, and old cookies stop
verifying). A session ends after IDLE without use or after LIFETIME whatever happens, and at
sign-out. The browser gets the cookie
through a one-time claim (`claim_for` → the /auth/claim route), because a Streamlit run cannot
set a response header itself. Base module: no room, no streamlit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

COOKIE = "lp_session"
IDLE = timedelta(minutes=30)
LIFETIME = timedelta(hours=12)
CLAIM_TTL = timedelta(minutes=2)


@dataclass
class Session:
    username: str
    started: datetime
    last_seen: datetime


_lock = threading.Lock()
_sessions: dict[str, Session] = {}
_claims: dict[str, tuple[str, datetime]] = {}  # one-time claim token -> (cookie value, issued)
_key: bytes = secrets.token_bytes(32)


def _sign(session_id: str) -> str:
    return hmac.new(_key, session_id.encode(), hashlib.sha256).hexdigest()


def start(username: str, now: datetime | None = None) -> str:
    """A new session for `username`; returns the cookie value (id.signature)."""
    at = now or datetime.now()
    session_id = secrets.token_urlsafe(32)
    with _lock:
        _sessions[session_id] = Session(username, at, at)
    return f"{session_id}.{_sign(session_id)}"


def claim_for(cookie_value: str, now: datetime | None = None) -> str:
    """A one-time token the browser trades at /auth/claim for the cookie."""
    token = secrets.token_urlsafe(24)
    with _lock:
        _claims[token] = (cookie_value, now or datetime.now())
    return token


def redeem(token: str, now: datetime | None = None) -> str | None:
    """The cookie value for a claim token, once, while it is fresh."""
    at = now or datetime.now()
    with _lock:
        found = _claims.pop(token, None)
        for stale in [t for t, (_, issued) in _claims.items() if at - issued > CLAIM_TTL]:
            del _claims[stale]
    if found is None or at - found[1] > CLAIM_TTL:
        return None
    return found[0]


def _session_id(cookie_value: str | None) -> str | None:
    if not cookie_value or "." not in cookie_value:
        return None
    session_id, signature = cookie_value.rsplit(".", 1)
    return session_id if hmac.compare_digest(signature, _sign(session_id)) else None


def resolve(cookie_value: str | None, now: datetime | None = None, *, touch: bool = True) -> str | None:
    """The username of a live session (used now: the idle clock starts again), else None."""
    session_id = _session_id(cookie_value)
    if session_id is None:
        return None
    at = now or datetime.now()
    with _lock:
        session = _sessions.get(session_id)
        if session is None:
            return None
        if at - session.last_seen > IDLE or at - session.started > LIFETIME:
            del _sessions[session_id]
            return None
        if touch:
            session.last_seen = at
        return session.username


def end(cookie_value: str | None) -> None:
    """Sign-out: the session is gone, whoever holds the cookie."""
    session_id = _session_id(cookie_value)
    if session_id is not None:
        with _lock:
            _sessions.pop(session_id, None)


def end_all_of(username: str) -> None:
    """Every session of an account (its password changed, or it was disabled)."""
    with _lock:
        for session_id in [s for s, v in _sessions.items() if v.username == username]:
            del _sessions[session_id]
