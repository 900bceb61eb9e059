from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    name = "saleshelm.incentives"
    label = "incentives"
    verbose_name = "Motivation"
