from saleshelm.core.errors import ApplicationError
from saleshelm.core.management.base import SaleshelmCommand
from saleshelm.tenancy.actors import SystemActor
from saleshelm.tenancy.selectors import membership_by_email
from saleshelm.tenancy.services import token_create


class Command(SaleshelmCommand):
    help = "Create a personal API token for a membership (printed once; stored hashed)."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, metavar="EMAIL")
        parser.add_argument("--org", required=True, metavar="SLUG")
        parser.add_argument("--name", default="cli")

    def run(self, *args, **opts):
        org = self.organisation(opts["org"])
        try:
            membership = membership_by_email(actor=SystemActor(org), email=opts["user"])
        except ApplicationError:
            raise ApplicationError(f"{opts['user']} is not a member of {org.slug}") from None
        raw = token_create(membership=membership, name=opts["name"])
        self.stdout.write(raw)
