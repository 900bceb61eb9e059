from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "saleshelm.tenancy"
    label = "tenancy"
    verbose_name = "Organisations and access"
