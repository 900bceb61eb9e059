from django.apps import AppConfig


class DirectionConfig(AppConfig):
    name = "saleshelm.direction"
    label = "direction"
    verbose_name = "Vision and mission"

    def ready(self) -> None:
        # This app's part of a person's data export and erasure (SPEC §11.11).
        from saleshelm.direction.privacy import register_privacy

        register_privacy()
