from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "saleshelm.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from saleshelm.core import signals  # noqa: F401  (creates the cache table after migrate)
