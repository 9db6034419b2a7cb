"""What the web server checks before Streamlit answers (server.py mounts it).

SessionGate: every /media/… address (downloads and generated files) and /_stcore/metrics answer
only to a browser holding a live session cookie (dashboard.sessions), else 403 with a Chinese
page; each download is written to the audit log with who fetched it and from where. claim and
end set and clear that cookie. Headless: starlette only, no streamlit.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from dashboard import audit, db, sessions

DOWNLOADED = audit.DOWNLOADED
GUARDED = ("/media/", "/_stcore/metrics")
# The front end's own fonts and images (/static/media/…) are the same for everyone and the sign-in
# page needs them: they are neither guarded nor logged.
PUBLIC = ("/static/",)
# The front end asks for its host configuration before anyone signs in, so the address must
# answer; Streamlit's own answer lists the origins allowed to embed and message the app (its
# default names outside hosts). The gate answers instead, the same for everyone: no origin may
# embed the dashboard, no metrics address, nothing about this server.
HOST_CONFIG = "/_stcore/host-config"
HOST_CONFIG_BODY = {
    "allowedOrigins": [],
    "useExternalAuthToken": False,
    "enableCustomParentMessages": False,
    "enforceDownloadInNewTab": False,
    "metricsUrl": "",
    "blockErrorDialogs": False,
    "resourceCrossOriginMode": None,
}
REFUSED = (
    "<!doctype html><html lang='zh-Hant'><meta charset='utf-8'><title>請先登入</title>"
    "<p>這個檔案只提供給已登入的使用者。請回到儀表板登入後，再從頁面上的按鈕下載。</p></html>"
)

_con: Any = None


def _log_download(username: str, path: str, address: str | None) -> None:
    global _con
    if _con is None:
        _con = db.connect()
    cur = _con.cursor()
    try:
        audit.record(cur, DOWNLOADED, username, detail=path, page="下載", address=address)
    finally:
        cur.close()


def _cookie(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name.lower() != b"cookie":
            continue
        for part in value.decode("latin-1").split(";"):
            key, _, found = part.strip().partition("=")
            if key == sessions.COOKIE:
                return found
    return None


class SessionGate:
    """ASGI middleware: the guarded addresses need a live session; downloads are logged."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.endswith(HOST_CONFIG):
            answer = JSONResponse(HOST_CONFIG_BODY, headers={"Cache-Control": "no-cache"})
            await answer(scope, receive, send)
            return
        public = any(mark in path for mark in PUBLIC)
        if scope["type"] != "http" or public or not any(mark in path for mark in GUARDED):
            await self.app(scope, receive, send)
            return
        username = sessions.resolve(_cookie(scope.get("headers", [])))
        if username is None:
            await HTMLResponse(REFUSED, status_code=403)(scope, receive, send)
            return
        if "/media/" in path and scope.get("method") == "GET":
            client = scope.get("client")
            await run_in_threadpool(_log_download, username, path, client[0] if client else None)
        await self.app(scope, receive, send)


async def claim(request: Request) -> Response:
    value = sessions.redeem(request.query_params.get("t", ""))
    if value is None:
        return Response(status_code=403)
    response = Response(status_code=204)
    response.set_cookie(
        sessions.COOKIE,
        value,
        max_age=int(sessions.LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


async def end(request: Request) -> Response:
    sessions.end(request.cookies.get(sessions.COOKIE))
    response = Response(status_code=204)
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="strict")
    return response
