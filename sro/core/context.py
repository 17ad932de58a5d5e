"""Per-request (or per-command) context the audit trail reads: the request id."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("sro_request_id", default="")


def new_request_id(prefix: str = "req") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def current_request_id() -> str:
    rid = _request_id.get()
    if not rid:
        rid = new_request_id("proc")
        _request_id.set(rid)
    return rid


@contextmanager
def request_context(request_id: str) -> Iterator[None]:
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)
