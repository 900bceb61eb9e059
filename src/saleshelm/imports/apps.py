from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "saleshelm.imports"
    label = "imports"
    verbose_name = "Import and export"

    def ready(self) -> None:
        # This app's part of a person's data export and erasure (SPEC §11.11).
        from saleshelm.imports.privacy import register_privacy

        register_privacy()
