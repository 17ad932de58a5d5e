"""Shared option handling for the oversight commands."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from sro.oversight.metrics import Settings
from sro.oversight.output import FORMATS


def add_output(parser: ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="Output format (default: table).")
    parser.add_argument("--out", type=Path, help="Write to this file instead of the terminal.")


def add_settings(parser: ArgumentParser, per: int) -> None:
    parser.add_argument("--per", type=int, choices=(100, 1000, 10000), default=per, help=f"Rate base (default {per}).")
    parser.add_argument("--cell-min", type=int, default=11, help="Smallest count published (default 11).")
    parser.add_argument("--n-min", type=int, default=30, help="Smallest denominator published (default 30).")


def settings_from(opts: dict[str, Any], reference: str | None = None) -> Settings:
    if opts["cell_min"] < 1 or opts["n_min"] < 1:
        raise CommandError("--cell-min and --n-min must be at least 1")
    return Settings(per=opts["per"], reference=reference, cell_min=opts["cell_min"], n_min=opts["n_min"])
