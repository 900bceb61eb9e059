from saleshelm.core.errors import ApplicationError
from saleshelm.core.management.base import SaleshelmCommand
from saleshelm.tenancy.actors import SystemActor
from saleshelm.tenancy.invitations import member_invite, members_invite
from saleshelm.tenancy.selectors import invitation_pending_list, membership_by_email


class Command(SaleshelmCommand):
    help = (
        "Email members a one-time link to set their password: one member (--user), or every "
        "active member who never signed in (--all-pending). Audited as member.invite."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, metavar="SLUG")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--user", metavar="EMAIL")
        who.add_argument("--all-pending", action="store_true")
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            metavar="URL",
            help="the address people open SalesHelm at (the links point there)",
        )

    def run(self, *args, **opts):
        org = self.organisation(opts["org"])
        system = SystemActor(org, label="cli")
        base_url = opts["base_url"]
        if opts["all_pending"]:
            sent = members_invite(
                actor=system, memberships=invitation_pending_list(actor=system), base_url=base_url
            )
            self.stdout.write(f"{sent} invitation(s) sent")
            return
        try:
            membership = membership_by_email(actor=system, email=opts["user"])
        except ApplicationError:
            raise ApplicationError(f"{opts['user']} is not a member of {org.slug}") from None
        kind = member_invite(actor=system, membership=membership, base_url=base_url)
        self.stdout.write(
            f"{'invitation' if kind == 'invite' else 'password link'} sent to {membership.email}"
        )
