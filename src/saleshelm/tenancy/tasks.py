"""Background work of tenancy. Every task is idempotent: running it twice changes nothing more."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from saleshelm.core.scheduler import daily, register


@task()
def clear_expired_sessions() -> int:
    """Delete expired web sessions (Django keeps them until someone clears them).

    Returns how many were removed when sessions live in the database (the default engine),
    else 0 after asking the configured engine to clear its own.
    """
    engine = import_module(settings.SESSION_ENGINE)
    if settings.SESSION_ENGINE in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    }:
        from django.contrib.sessions.models import Session

        deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
        return deleted
    engine.SessionStore.clear_expired()
    return 0


register("tenancy.clear_expired_sessions", clear_expired_sessions, daily("03:10"))
