"""The web server's gate (issue [8/11] finding 1): a download address answers only to a live
session cookie, each download is in the audit log, and the claim/end routes set and clear the
cookie (HttpOnly, SameSite=Strict)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from dashboard import db, sessions, web_gate


def _asgi(app: Any, scope: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """Run one HTTP request through an ASGI app: (status, headers, body)."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(
        app({"type": "http", "method": "GET", "query_string": b"", "headers": [], **scope}, receive, send)
    )
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return int(start["status"]), [(k.decode(), v.decode()) for k, v in start["headers"]], body


def _call(app: Any, path: str, cookie: str | None = None) -> tuple[int, bytes]:
    headers = [(b"cookie", f"{sessions.COOKIE}={cookie}".encode())] if cookie else []
    status, _, body = _asgi(app, {"path": path, "headers": headers, "client": ("10.1.2.3", 5000)})
    return status, body


async def _file(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/csv")]})
    await send({"type": "http.response.body", "body": b"names"})


@pytest.fixture
def gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PORTFOLIO_DB", str(tmp_path / "gate.duckdb"))
    monkeypatch.setattr(web_gate, "_con", None)
    yield web_gate.SessionGate(_file)
    if web_gate._con is not None:
        web_gate._con.close()


def test_no_cookie_no_file_and_nothing_logged(gate: Any) -> None:
    status, body = _call(gate, "/media/abc123.xlsx")
    assert status == 403
    assert "請回到儀表板登入" in body.decode()
    assert _call(gate, "/media/abc123.xlsx", cookie="forged.0000")[0] == 403
    assert _call(gate, "/_stcore/metrics")[0] == 403
    assert web_gate._con is None  # nobody was logged: the database was not even opened


def test_a_live_session_gets_the_file_and_the_download_is_logged(gate: Any, tmp_path: Path) -> None:
    cookie = sessions.start("registry")
    status, body = _call(gate, "/media/abc123.xlsx", cookie=cookie)
    assert (status, body) == (200, b"names")
    assert _call(gate, "/healthz")[0] == 200  # not guarded: Streamlit's own pages and assets
    web_gate._con.close()
    web_gate._con = None
    con = db.connect(tmp_path / "gate.duckdb")
    try:
        rows = con.execute("select username, action, detail, address from audit_log").fetchall()
    finally:
        con.close()
    assert rows == [("registry", web_gate.DOWNLOADED, "/media/abc123.xlsx", "10.1.2.3")]


def test_a_session_that_ended_opens_nothing(gate: Any) -> None:
    cookie = sessions.start("registry")
    sessions.end(cookie)
    assert _call(gate, "/media/abc123.xlsx", cookie=cookie)[0] == 403


def test_claim_sets_the_cookie_once_and_end_clears_it() -> None:
    from starlette.applications import Starlette
    from starlette.routing import Route

    app = Starlette(routes=[Route("/auth/claim", web_gate.claim), Route("/auth/end", web_gate.end)])
    cookie = sessions.start("registry")
    token = sessions.claim_for(cookie)

    def get(path: str, query: str) -> tuple[int, list[str]]:
        scope = {
            "path": path,
            "query_string": query.encode(),
            "root_path": "",
            "scheme": "http",
            "server": ("127.0.0.1", 80),
        }
        status, headers, _ = _asgi(app, scope)
        return status, [v for k, v in headers if k == "set-cookie"]

    status, set_cookie = get("/auth/claim", f"t={token}")
    assert status == 204
    assert set_cookie[0].startswith(f"{sessions.COOKIE}={cookie};")
    assert "HttpOnly" in set_cookie[0] and "SameSite=strict" in set_cookie[0]
    assert get("/auth/claim", f"t={token}")[0] == 403  # a claim token works once
    status, set_cookie = get("/auth/end", "")
    assert status == 204 and 'lp_session=""' in set_cookie[0]


def test_the_front_ends_own_fonts_are_public_and_not_logged(gate: Any) -> None:
    """/static/media/… are Streamlit's fonts and icons: the sign-in page needs them before any
    session, and fetching them is no download of anyone's data."""
    for path in ("/static/media/SourceSansVF-Upright.ttf.woff2", "/base/static/media/icons.woff2"):
        assert _call(gate, path)[0] == 200
    cookie = sessions.start("registry")
    assert _call(gate, "/static/media/MaterialSymbols-Rounded.woff2", cookie=cookie)[0] == 200
    assert web_gate._con is None  # nothing was written to the audit log
    assert _call(gate, "/base/media/abc123.xlsx")[0] == 403  # a file under a base path stays guarded


def test_host_config_answers_the_same_minimal_config_to_everyone(gate: Any) -> None:
    """The front end needs it before sign-in; it names no origin that may embed the dashboard."""
    import json

    reached: list[str] = []

    async def streamlit_itself(scope: Any, receive: Any, send: Any) -> None:
        reached.append(scope["path"])
        await _file(scope, receive, send)

    guarded = web_gate.SessionGate(streamlit_itself)
    for cookie in (None, sessions.start("registry")):
        status, body = _call(guarded, "/_stcore/host-config", cookie=cookie)
        assert status == 200
        config = json.loads(body)
        assert config["allowedOrigins"] == [] and config["metricsUrl"] == ""
    assert reached == []  # Streamlit's own answer (with its default origins) never goes out
