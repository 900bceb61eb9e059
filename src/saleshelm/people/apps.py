from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "saleshelm.people"
    label = "people"
    verbose_name = "People"
