from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "saleshelm.web"
    label = "web"
    verbose_name = "Web"
