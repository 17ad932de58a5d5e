from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sro.core.errors import DomainError
from sro.orgs.models import User
from sro.orgs.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Create or revoke personal API tokens (sent as 'Authorization: Bearer <token>')."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,revoke}")
        c = sub.add_parser("create", help="Create a token for a user and print it once.")
        c.add_argument("--user", required=True, help="username")
        c.add_argument("--name", default="", help="what the token is for")
        r = sub.add_parser("revoke", help="Revoke a token by its first characters.")
        r.add_argument("prefix", help="at least the first 8 characters of the token")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "create":
                user = User.objects.filter(username=opts["user"]).first()
                if user is None:
                    raise CommandError(f"--user: no user named '{opts['user']}'")
                token, raw = token_create(actor=None, user=user, name=opts["name"])
                self.stdout.write(raw)
                self.stderr.write(
                    f"token {token.key_prefix}… created for {user.username}; it is shown only now, store it safely"
                )
            else:
                n = token_revoke(actor=None, prefix=opts["prefix"])
                self.stdout.write(f"revoked {n} token(s)")
        except DomainError as exc:
            raise CommandError(exc.detail) from None
