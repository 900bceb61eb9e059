from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "saleshelm.crm"
    label = "crm"
    verbose_name = "Sales operations"
