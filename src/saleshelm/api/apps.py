from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "saleshelm.api"
    label = "api"
    verbose_name = "API"
