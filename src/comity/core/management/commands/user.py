"""``comity user``: add users, give clearances, print API tokens, deactivate."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from comity.core import roles, services
from comity.core.models import User


class Command(BaseCommand):
    help = "Manage users: add, clear, token, deactivate, list, grant, revoke, roles."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Create a user of a nation with a clearance.")
        add.add_argument("username")
        add.add_argument("--nation", required=True, help="ISO 3166 alpha-3 code")
        add.add_argument("--clearance", help="Classification, e.g. SECRET (omit for none)")
        add.add_argument("--policy", default="NATO")
        add.add_argument("--password", help="Omit for a token-only account")
        add.add_argument("--staff", action="store_true", help="May use the admin")
        clear = sub.add_parser("clear", help="Set a user's clearance in a policy.")
        clear.add_argument("username")
        clear.add_argument("--clearance", required=True)
        clear.add_argument("--policy", default="NATO")
        token = sub.add_parser("token", help="Print the user's API token.")
        token.add_argument("username")
        off = sub.add_parser("deactivate", help="Deactivate a user and end all their sessions.")
        off.add_argument("username")
        sub.add_parser("list", help="List users as JSON.")
        grant = sub.add_parser("grant", help="Give a user a role within a scope (a nation or an organisation).")
        grant.add_argument("username")
        grant.add_argument(
            "--role", required=True, help="viewer, editor, approver, programme_manager, auditor, administrator"
        )
        grant.add_argument(
            "--scope", required=True, help="ISO 3166 alpha-3 code or organisation code, e.g. FIN or NATO"
        )
        revoke = sub.add_parser("revoke", help="Take a role within a scope away from a user.")
        revoke.add_argument("username")
        revoke.add_argument("--role", required=True)
        revoke.add_argument("--scope", required=True)
        held = sub.add_parser("roles", help="Print a user's roles.")
        held.add_argument("username")
        held.add_argument("--format", choices=["json", "text"], default="text")

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"no user {username!r}") from None

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "add":
                with transaction.atomic():  # a bad clearance leaves no user behind
                    user = services.user_create(
                        acting_user=None,
                        username=options["username"],
                        nationality=options["nation"],
                        password=options["password"],
                        is_staff=options["staff"],
                    )
                    if options["clearance"]:
                        services.user_set_clearance(
                            acting_user=None, user=user, policy=options["policy"], level=options["clearance"]
                        )
                self.stdout.write(f"created {user.username} ({user.nationality})")
            elif action == "clear":
                services.user_set_clearance(
                    acting_user=None,
                    user=self._user(options["username"]),
                    policy=options["policy"],
                    level=options["clearance"],
                )
            elif action == "token":
                self.stdout.write(services.user_token(acting_user=None, user=self._user(options["username"])))
            elif action == "deactivate":
                ended = services.user_deactivate(acting_user=None, user=self._user(options["username"]))
                self.stdout.write(f"deactivated {options['username']}; ended {ended} session(s)")
            elif action == "list":
                rows = [
                    {
                        "username": u.username,
                        "nationality": u.nationality,
                        "active": u.is_active,
                        "clearances": {c.policy.name: c.classification.name for c in u.clearances.all()},
                        "roles": [{"role": r.role, "scope": r.scope} for r in u.role_assignments.all()],
                    }
                    for u in User.objects.prefetch_related(
                        "clearances__policy", "clearances__classification", "role_assignments"
                    )
                ]
                self.stdout.write(json.dumps(rows, indent=2))
            elif action == "grant":
                assignment = roles.role_grant(
                    acting_user=None, user=self._user(options["username"]), role=options["role"], scope=options["scope"]
                )
                self.stdout.write(f"{assignment.user.username} is {assignment.role} of {assignment.scope}")
            elif action == "revoke":
                held = roles.role_revoke(
                    acting_user=None, user=self._user(options["username"]), role=options["role"], scope=options["scope"]
                )
                self.stdout.write("revoked" if held else "the user did not hold that role")
            elif action == "roles":
                rows = roles.user_roles(self._user(options["username"]))
                if options["format"] == "json":
                    self.stdout.write(json.dumps(rows, indent=2))
                else:
                    for row in rows:
                        self.stdout.write(f"{row['role']} of {row['scope']}")
        except (services.UserError, roles.RoleError) as exc:
            raise CommandError(str(exc)) from exc
