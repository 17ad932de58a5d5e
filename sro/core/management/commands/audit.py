from __future__ import annotations

import datetime as dt
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sro.core.audit import (
    CheckpointError,
    VerifyResult,
    checkpoint_dir,
    export_events,
    latest_checkpoint,
    verify_against,
    verify_chain,
    write_checkpoint,
)
from sro.core.params import option_date


class Command(BaseCommand):
    help = "Verify the tamper-evident audit trail, checkpoint its head, or export it as JSON lines."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify,checkpoint,export}")
        ver = sub.add_parser(
            "verify",
            help="Walk the keyed chain, then compare it with the newest checkpoint (or --against FILE).",
        )
        ver.add_argument(
            "--against",
            action="append",
            default=[],
            metavar="FILE",
            help="A checkpoint (.json) or an export (.jsonl) to compare the database with; repeatable.",
        )
        cp = sub.add_parser("checkpoint", help="Write a signed checkpoint of the chain's head (run it on a schedule).")
        cp.add_argument("--dir", help="Folder for the checkpoint (default: SRO_AUDIT_CHECKPOINT_DIR).")
        exp = sub.add_parser("export", help="Write events as JSON lines (stdout or --out), and a checkpoint.")
        exp.add_argument("--since", help="Only events at or after this date (YYYY-MM-DD).")
        exp.add_argument("--out", help="File to write (default: standard output).")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "verify":
            self._verify([Path(p) for p in opts["against"]])
        elif action == "checkpoint":
            path, point = write_checkpoint(Path(opts["dir"]) if opts.get("dir") else None)
            self.stdout.write(f"checkpoint written: {path} ({point.count} events, head {point.head_hash[:16]}…)")
        else:
            self._export(opts)

    def _fail(self, result: VerifyResult, before: str) -> None:
        raise CommandError(f"audit trail BROKEN at event #{result.broken_seq}: {result.reason}{before}")

    def _verify(self, against: list[Path]) -> None:
        result = verify_chain()
        if not result.ok:
            self._fail(result, f" ({result.checked} events before it verified)")
        lines = [f"audit trail intact: {result.checked} events verified"]
        if result.unkeyed:
            lines.append(f"  the first {result.unkeyed} events were written before the audit key (plain SHA-256)")
        if not against:
            newest = latest_checkpoint()
            if newest is None:
                lines.append(
                    f"  no checkpoint in {checkpoint_dir()}: truncation and deletion of the newest events cannot "
                    "be detected; run `sro audit checkpoint` on a schedule (docs/audit.md)"
                )
            against = [newest] if newest else []
        for path in against:
            try:
                problem = verify_against(path)
            except CheckpointError as exc:
                raise CommandError(str(exc)) from None
            if problem is not None:
                self._fail(problem, f" (compared with {path.name})")
            lines.append(f"  agrees with {path.name}")
        self.stdout.write("\n".join(lines))

    def _export(self, opts: dict[str, Any]) -> None:
        since = None
        if opts.get("since"):
            day = option_date(opts["since"], flag="--since")
            since = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        out = open(opts["out"], "w", encoding="utf-8") if opts.get("out") else sys.stdout  # noqa: SIM115
        n = 0
        try:
            for line in export_events(since):
                out.write(line + "\n")
                n += 1
        finally:
            if out is not sys.stdout:
                out.close()
        path, _point = write_checkpoint()
        self.stderr.write(f"exported {n} events; checkpoint written: {path}")
        if opts.get("out"):
            beside = Path(opts["out"]).with_suffix(".checkpoint.json")
            write_checkpoint(path=beside)
            self.stderr.write(f"and beside the export: {beside}")
