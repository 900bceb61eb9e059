from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "saleshelm.crm"
    label = "crm"
    verbose_name = "Sales operations"

    def ready(self) -> None:
        # This app's part of a person's data export and erasure (SPEC §11.11).
        from saleshelm.crm.privacy import register_privacy

        register_privacy()
