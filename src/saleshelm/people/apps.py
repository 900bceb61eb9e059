from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "saleshelm.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        # A person's data export and erasure: the tenancy and people sections (SPEC §11.11).
        from saleshelm.people.privacy.account import register_privacy

        register_privacy()
