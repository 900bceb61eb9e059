"""Infrastructure hooks only; business rules never live in signals (STYLE.md)."""

from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate, dispatch_uid="saleshelm.createcachetable")
def create_cache_table(sender, using="default", **kwargs):
    # The database cache backs login throttling when no Redis is configured; migrate
    # is the one setup step every deployment already runs, so the table comes with it.
    if sender.label == "core":
        call_command("createcachetable", database=using, verbosity=0)
