from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "saleshelm.imports"
    label = "imports"
    verbose_name = "Import and export"
