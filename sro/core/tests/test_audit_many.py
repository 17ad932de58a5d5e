"""Events appended in bulk (`audit_log_many`) chain exactly as events appended one by one."""

from __future__ import annotations

from typing import Any

from sro.core.audit import AuditEntry, audit_log, audit_log_many, verify_chain
from sro.core.models import AuditEvent


def test_bulk_events_continue_the_chain_and_verify(db: Any) -> None:
    audit_log(actor=None, action="before", object_type="x", object_id=1)
    written = audit_log_many(
        actor=None, entries=(AuditEntry("scale_copy", "x", i, {"copy_of": i}) for i in range(5)), batch_size=2
    )
    audit_log(actor=None, action="after", object_type="x", object_id=2)
    events = list(AuditEvent.objects.order_by("seq"))
    assert written == 5
    assert [e.seq for e in events] == list(range(1, 8))
    assert [e.action for e in events] == ["before", *["scale_copy"] * 5, "after"]
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    result = verify_chain()
    assert result.ok and result.checked == 7
