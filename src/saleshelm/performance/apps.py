from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "saleshelm.performance"
    label = "performance"
    verbose_name = "Performance"
