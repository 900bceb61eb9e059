from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "saleshelm.development"
    label = "development"
    verbose_name = "Development"

    def ready(self) -> None:
        # The competency ratings join the performance scorecard (SPEC §6, §8).
        from saleshelm.development import scorecard

        scorecard.register()
