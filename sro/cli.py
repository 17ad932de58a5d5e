"""The `sro` command: the product's management commands, with hyphenated names.

`sro import-schools PATH` runs the `import_schools` management command; every other
Django command (`sro migrate`, `sro createsuperuser`) works too.
"""

from __future__ import annotations

import os
import sys

import django


def _sro_commands() -> dict[str, str]:
    from django.core.management import get_commands, load_command_class

    out: dict[str, str] = {}
    for name, app in sorted(get_commands().items()):
        if isinstance(app, str) and app.startswith("sro."):
            cmd = load_command_class(app, name)
            out[name.replace("_", "-")] = (cmd.help or "").strip().splitlines()[0] if cmd.help else ""
    return out


def _print_help() -> None:
    print("usage: sro COMMAND [options]   (sro COMMAND --help for each command)\n")
    print("commands:")
    cmds = _sro_commands()
    width = max((len(n) for n in cmds), default=10)
    for name, text in cmds.items():
        print(f"  {name.ljust(width)}  {text}")
    print("\nEvery Django management command works too, e.g. `sro migrate`, `sro createsuperuser`.")
    print("Settings come from the environment and .env; see .env.example.")


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    args = list(sys.argv[1:] if argv is None else argv)
    django.setup()
    if not args or args[0] in {"-h", "--help", "help"}:
        _print_help()
        return
    from django.core.management import ManagementUtility

    name = args[0].replace("-", "_")
    ManagementUtility(["sro", name, *args[1:]]).execute()


if __name__ == "__main__":
    main()
