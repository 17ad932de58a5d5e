from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sro.core.errors import DomainError
from sro.core.params import option_date
from sro.orgs.models import ApiToken, User
from sro.orgs.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens (sent as 'Authorization: Bearer <token>')."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        c = sub.add_parser("create", help="Create a token for a user and print it once.")
        c.add_argument("--user", required=True, help="username")
        c.add_argument("--name", default="", help="what the token is for")
        c.add_argument("--expires", help="the last day it works, YYYY-MM-DD (default: in 90 days; at most a year)")
        ls = sub.add_parser("list", help="Every token: user, name, created, last used, last day, state.")
        ls.add_argument("--user", help="only this user's tokens")
        r = sub.add_parser("revoke", help="Revoke a token by its first characters.")
        r.add_argument("prefix", help="at least the first 8 characters of the token")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "create":
                user = User.objects.filter(username=opts["user"]).first()
                if user is None:
                    raise CommandError(f"--user: no user named '{opts['user']}'")
                expires = option_date(opts["expires"], flag="--expires") if opts.get("expires") else None
                token, raw = token_create(actor=None, user=user, name=opts["name"], expires=expires)
                self.stdout.write(raw)
                self.stderr.write(
                    f"token {token.key_prefix}… created for {user.username}, works until {token.expires_on}; "
                    "it is shown only now, store it safely"
                )
            elif opts["action"] == "list":
                self._list(opts.get("user"))
            else:
                n = token_revoke(actor=None, prefix=opts["prefix"])
                self.stdout.write(f"revoked {n} token(s)")
        except DomainError as exc:
            raise CommandError(exc.detail) from None

    def _list(self, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if username:
            tokens = tokens.filter(user__username=username)
        today = timezone.localdate()
        self.stdout.write("prefix\tuser\tname\tcreated\tlast used\tlast day\tstate")
        for t in tokens:
            if t.revoked_at is not None:
                state = f"revoked {t.revoked_at:%Y-%m-%d}"
            else:
                state = "in use" if t.is_live(today) else "expired"
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            self.stdout.write(
                f"{t.key_prefix}\t{t.user.username}\t{t.name or '-'}\t{t.created_at:%Y-%m-%d}\t{used}\t"
                f"{t.expires_on or '-'}\t{state}"
            )
