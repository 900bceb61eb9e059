from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "saleshelm.development"
    label = "development"
    verbose_name = "Development"

    def ready(self) -> None:
        # The competency ratings join the performance scorecard (SPEC §6, §8).
        from saleshelm.development import scorecard

        scorecard.register()
        # This app's part of a person's data export and erasure (SPEC §11.11).
        from saleshelm.development.privacy import register_privacy

        register_privacy()
