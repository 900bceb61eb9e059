from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "saleshelm.performance"
    label = "performance"
    verbose_name = "Performance"

    def ready(self) -> None:
        # This app's part of a person's data export and erasure (SPEC §11.11).
        from saleshelm.performance.privacy import register_privacy

        register_privacy()
