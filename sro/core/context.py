"""Per-request (or per-command) context the audit trail reads: the request id."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("sro_request_id", default="")
_remote_addr: ContextVar[str] = ContextVar("sro_remote_addr", default="")


def new_request_id(prefix: str = "req") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def current_request_id() -> str:
    rid = _request_id.get()
    if not rid:
        rid = new_request_id("proc")
        _request_id.set(rid)
    return rid


def current_remote_addr() -> str:
    return _remote_addr.get()


@contextmanager
def request_context(request_id: str, remote_addr: str = "") -> Iterator[None]:
    t1 = _request_id.set(request_id)
    t2 = _remote_addr.set(remote_addr)
    try:
        yield
    finally:
        _request_id.reset(t1)
        _remote_addr.reset(t2)
