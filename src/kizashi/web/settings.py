"""Settings of one ``kizashi serve`` process, fixed at startup."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from kizashi.errors import InputError

MAX_BODY_BYTES = 1024 * 1024


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class WebSettings:
    """What the server serves and how it guards it.

    ``model_path`` None serves the bundled flagship model (read-only: pass a path to
    edit a copy). ``token`` guards every request when set; it is required when the
    server binds to a non-loopback host. ``semantic`` enables semantic and hybrid search
    (which load the embedding model on first use).
    """

    model_path: Path | None = None
    db_url: str | None = None
    read_only: bool = False
    token: str | None = None
    host: str = "127.0.0.1"
    semantic: bool = True
    ingest_on_start: bool = True
    max_body_bytes: int = MAX_BODY_BYTES

    def check(self) -> None:
        """Refuse unsafe or impossible combinations with one clear error."""
        if not is_loopback(self.host) and not self.token:
            raise InputError(
                f"binding to {self.host} exposes the server beyond this machine: give --token TOKEN",
                where="--host",
            )
        if self.token is not None and len(self.token) < 8:
            raise InputError("the token must have at least 8 characters", where="--token")
        if self.model_path is not None and not Path(self.model_path).is_file():
            raise InputError("no such model file", path=str(self.model_path))
