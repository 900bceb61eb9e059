from saleshelm.core.management.base import SaleshelmCommand
from saleshelm.tenancy.services import organisation_create


class Command(SaleshelmCommand):
    help = "Create an organisation (prints the admin's one-time password)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--currency", required=True, help="reporting currency, e.g. USD or VND")
        parser.add_argument("--admin", metavar="EMAIL", help="first admin's email")
        parser.add_argument("--locale", default="en", choices=["en", "vi"])
        parser.add_argument("--time-zone", default="UTC")
        parser.add_argument("--fiscal-start-month", type=int, default=1)

    def run(self, *args, **opts):
        org, admin, password = organisation_create(
            slug=opts["slug"],
            name=opts["name"],
            currency=opts["currency"],
            admin_email=opts["admin"],
            locale=opts["locale"],
            time_zone=opts["time_zone"],
            fiscal_year_start_month=opts["fiscal_start_month"],
        )
        self.stdout.write(f"Created organisation {org.slug} ({org.name}, {org.currency}).")
        if admin is not None:
            self.stdout.write(f"Admin: {admin.user.email}  one-time password: {password}")
