"""Django's `flush`, allowed to empty the audit trail only on a trial site.

On PostgreSQL a statement trigger refuses `TRUNCATE` of the audit events (migration core 0003)
unless the session sets `sro.allow_audit_truncate`. This command sets it only where the demo
may be reset (`DEBUG` or `SRO_DEMO_MODE`, as `sro demo --reset` and the test suite need); on a
production site `flush` is refused at the audit table, and the trail stays whole.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands import flush
from django.db import connections


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or "default"]
        trial = settings.DEBUG or settings.SRO_DEMO_MODE
        if connection.vendor != "postgresql" or not trial:
            super().handle(**options)
            return
        with connection.cursor() as cur:
            cur.execute("SELECT set_config('sro.allow_audit_truncate', 'on', false)")
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cur:
                cur.execute("SELECT set_config('sro.allow_audit_truncate', '', false)")
