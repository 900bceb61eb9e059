from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "saleshelm.development"
    label = "development"
    verbose_name = "Development"
