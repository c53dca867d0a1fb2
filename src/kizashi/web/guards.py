"""ASGI guards: request size limit and token authentication.

Both run before routing, so a refused request never reaches a handler. The token is
accepted as ``Authorization: Bearer <token>`` or as the ``kizashi_token`` cookie that
``/login?token=...`` sets; it is compared in constant time.
"""

from __future__ import annotations

import hmac
import json
from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "kizashi_token"
OPEN_PATHS = ("/login", "/static/")


async def _reply(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Answer 413 to requests whose body exceeds ``limit`` bytes (declared or streamed)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _reply(send, 400, "malformed Content-Length")
                    return
                if declared > self.limit:
                    await _reply(send, 413, f"request body larger than {self.limit} bytes")
                    return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _reply(send, 413, f"request body larger than {self.limit} bytes")


class _TooLarge(Exception):
    pass


class TokenGuard:
    """Require the configured token on every request except login and static files."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode()

    def _presented(self, scope: Scope) -> bytes | None:
        headers: dict[bytes, bytes] = {}
        for name, value in scope.get("headers", []):
            headers.setdefault(name, value)
        auth = headers.get(b"authorization", b"")
        if auth[:7].lower() == b"bearer ":
            return auth[7:].strip()
        cookie_header = headers.get(b"cookie")
        if cookie_header:
            cookies: SimpleCookie = SimpleCookie()
            try:
                cookies.load(cookie_header.decode("latin-1"))
            except Exception:  # a malformed cookie header is simply no token
                return None
            if COOKIE in cookies:
                return cookies[COOKIE].value.encode()
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith(OPEN_PATHS):
            await self.app(scope, receive, send)
            return
        presented = self._presented(scope)
        if presented is not None and hmac.compare_digest(presented, self.token):
            await self.app(scope, receive, send)
            return
        await _reply(
            send,
            401,
            "a token is required: send 'Authorization: Bearer <token>' or open /login?token=<token>",
            [(b"www-authenticate", b"Bearer")],
        )


def token_matches(candidate: str, token: str) -> bool:
    """Constant-time comparison of a presented token."""
    return hmac.compare_digest(candidate.encode(), token.encode())



UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SameOrigin:
    """Refuse state-changing requests that a browser sends from another site.

    Browsers send ``Origin`` on cross-site POST/PUT/DELETE; programs usually send none.
    A request whose ``Origin`` names another host than ``Host`` is answered 403.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") in UNSAFE:
            headers = dict(scope.get("headers", []))
            origin = headers.get(b"origin")
            if origin is not None and origin != b"null":
                host = headers.get(b"host", b"")
                if origin.split(b"://", 1)[-1] != host:
                    await _reply(send, 403, "cross-site request refused")
                    return
            elif origin == b"null":
                await _reply(send, 403, "cross-site request refused")
                return
        await self.app(scope, receive, send)
