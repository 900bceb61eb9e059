"""``saleshelm manage member_export``: a person's data as JSON, for an operator answering a
request (SPEC §11.11). Runs as the system with admin rights, so, like an admin's export, it
leaves out private feedback between the member and a colleague."""

from __future__ import annotations

import json

from saleshelm.core.errors import ApplicationError
from saleshelm.core.management.base import SaleshelmCommand
from saleshelm.people.privacy import member_export
from saleshelm.people.selectors import access_member
from saleshelm.tenancy.actors import SystemActor
from saleshelm.tenancy.selectors import membership_by_email


class Command(SaleshelmCommand):
    help = "Export one member's data as JSON (audited as member.export)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, metavar="SLUG")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--user", metavar="EMAIL")
        who.add_argument("--member", type=int, metavar="ID")
        parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")

    def run(self, *args, **opts):
        system = SystemActor(self.organisation(opts["org"]), label="cli")
        if opts["member"] is not None:
            member = access_member(actor=system, id=opts["member"])
        else:
            try:
                member = membership_by_email(actor=system, email=opts["user"])
            except ApplicationError:
                raise ApplicationError(f"{opts['user']} is not a member of {opts['org']}") from None
        text = json.dumps(member_export(actor=system, member=member), ensure_ascii=False, indent=2)
        if opts["output"]:
            with open(opts["output"], "w", encoding="utf-8") as out:
                out.write(text + "\n")
        else:
            self.stdout.write(text)
