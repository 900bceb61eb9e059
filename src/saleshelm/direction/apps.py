from django.apps import AppConfig


class DirectionConfig(AppConfig):
    name = "saleshelm.direction"
    label = "direction"
    verbose_name = "Vision and mission"
