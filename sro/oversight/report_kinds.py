"""More kinds of `sro report`, added by the apps above oversight.

`sro report disparity|k12|crdc` read files and are oversight's own. A report that reads an app
above oversight (`sro report program`: the public site's quarterly figures, `sro.public.figures`)
is registered by that app from its `AppConfig.ready()`, so oversight names no app above it::

    register_report_kind(ReportKind(
        name="program",
        help="The program's own contacts and incidents ...",
        add_arguments=add_program_arguments,   # ArgumentParser -> None (its own options)
        run=run_program,                       # (options, stdout) -> None; CommandError to refuse
    ))

Kinds appear after the built-in ones, in the order they were registered; registering a name
again replaces it.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReportKind:
    name: str
    help: str
    add_arguments: Callable[[ArgumentParser], None]
    run: Callable[[dict[str, Any], Any], None]  # (the command's options, its stdout)


_KINDS: dict[str, ReportKind] = {}


def register_report_kind(kind: ReportKind) -> ReportKind:
    _KINDS[kind.name] = kind
    return kind


def report_kinds() -> list[ReportKind]:
    return list(_KINDS.values())
