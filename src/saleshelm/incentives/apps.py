from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    name = "saleshelm.incentives"
    label = "incentives"
    verbose_name = "Motivation"

    def ready(self) -> None:
        # This app's part of a person's data export and erasure (SPEC §11.11).
        from saleshelm.incentives.privacy import register_privacy

        register_privacy()
