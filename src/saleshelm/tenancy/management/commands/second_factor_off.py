from saleshelm.core.errors import ApplicationError
from saleshelm.core.management.base import SaleshelmCommand
from saleshelm.tenancy.actors import SystemActor
from saleshelm.tenancy.selectors import membership_by_email
from saleshelm.tenancy.services import second_factor_reset


class Command(SaleshelmCommand):
    help = (
        "Turn off a member's second factor (a lost phone); they sign in with the password "
        "and can turn it on again. Audited with the reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, metavar="EMAIL")
        parser.add_argument("--org", required=True, metavar="SLUG")
        parser.add_argument("--reason", required=True)

    def run(self, *args, **opts):
        org = self.organisation(opts["org"])
        system = SystemActor(org, label="cli")
        try:
            membership = membership_by_email(actor=system, email=opts["user"])
        except ApplicationError:
            raise ApplicationError(f"{opts['user']} is not a member of {org.slug}") from None
        if second_factor_reset(actor=system, membership=membership, reason=opts["reason"]):
            self.stdout.write(f"second factor of {membership.email} turned off")
        else:
            self.stdout.write(f"{membership.email} had no second factor")
