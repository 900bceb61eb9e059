"""Accounts (companies), their contacts, and leads not yet qualified into them (SPEC §3)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned
from saleshelm.crm.models.common import external_id_field, owner_field, unique_external_id


class Account(OrgOwned):
    external_id = external_id_field()
    name = models.CharField(_("name"), max_length=200)
    owner = owner_field("crm_accounts", null=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)  # ISO-2 or a name
    website = models.CharField(_("website"), max_length=200, blank=True)
    created_date = models.DateField(_("created"), default=timezone.localdate)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [unique_external_id("crm_account_external_id_unique")]
        indexes = [
            models.Index(fields=["organisation", "name"], name="crm_account_org_name"),
            models.Index(fields=["organisation", "owner"], name="crm_account_org_owner"),
            models.Index(fields=["organisation", "created_date"], name="crm_account_org_created"),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(OrgOwned):
    external_id = external_id_field()
    name = models.CharField(_("name"), max_length=200)
    account = models.ForeignKey(
        Account,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("account"),
    )
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=120, blank=True)
    owner = owner_field("crm_contacts", null=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [unique_external_id("crm_contact_external_id_unique")]
        indexes = [
            models.Index(fields=["organisation", "name"], name="crm_contact_org_name"),
            models.Index(fields=["organisation", "owner"], name="crm_contact_org_owner"),
            models.Index(fields=["organisation", "email"], name="crm_contact_org_email"),
        ]

    def __str__(self) -> str:
        return self.name


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    QUALIFIED = "qualified", _("Qualified")
    DISQUALIFIED = "disqualified", _("Disqualified")
    CONVERTED = "converted", _("Converted")


class Lead(OrgOwned):
    external_id = external_id_field()
    name = models.CharField(_("name"), max_length=200)
    company = models.CharField(_("company"), max_length=200, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=LeadStatus.choices, default=LeadStatus.NEW
    )
    owner = owner_field("crm_leads", null=True)
    converted_account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    converted_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    converted_opportunity = models.ForeignKey(
        "crm.Opportunity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    converted_at = models.DateTimeField(_("converted at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            unique_external_id("crm_lead_external_id_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=LeadStatus.values), name="crm_lead_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="crm_lead_org_status"),
            models.Index(fields=["organisation", "owner"], name="crm_lead_org_owner"),
            models.Index(fields=["organisation", "name"], name="crm_lead_org_name"),
        ]

    def __str__(self) -> str:
        return self.name
