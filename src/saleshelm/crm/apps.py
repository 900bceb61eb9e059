from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _install_tallies(sender, using="default", **kwargs) -> None:
    # The database's own order counts (crm.tallies): triggers come with migrate, as tables do.
    from saleshelm.crm import tallies

    tallies.install(connections[using])


class CrmConfig(AppConfig):
    name = "saleshelm.crm"
    label = "crm"
    verbose_name = "Sales operations"

    def ready(self) -> None:
        # This app's part of a person's data export and erasure (SPEC §11.11).
        from saleshelm.crm.privacy import register_privacy

        register_privacy()
        post_migrate.connect(_install_tallies, sender=self, dispatch_uid="saleshelm.crm.tallies")
