from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import TimeStamped
from saleshelm.core.money import is_currency
from saleshelm.tenancy.roles import Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who can sign in; belongs to organisations through memberships."""

    username = None  # type: ignore[assignment,misc]
    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    language = models.CharField(_("language"), max_length=8, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]
    objects = UserManager()  # type: ignore[misc,assignment]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email


slug_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$",
    _("3 to 50 lowercase letters, digits and dashes; not starting or ending with a dash."),
)


# An erased member's account keeps its row (pay history points at it) under an address on
# this reserved domain (RFC 2606); see saleshelm.people.privacy.
ERASED_EMAIL_DOMAIN = "erased.invalid"


class Organisation(TimeStamped):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=50, unique=True, validators=[slug_validator])
    currency = models.CharField(
        _("reporting currency"),
        max_length=3,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("an ISO 4217 code such as USD or VND"))],
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    locale = models.CharField(_("language"), max_length=8, default="en")
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # Admins and finance must sign in with a code as well as their password (SPEC §11.8).
    require_second_factor = models.BooleanField(
        _("require a second factor for admins and finance"), default=False
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        import zoneinfo

        if self.time_zone not in zoneinfo.available_timezones():
            raise ValidationError({"time_zone": _("unknown time zone")})
        if self.locale not in {"en", "vi"}:
            raise ValidationError({"locale": _("en or vi")})
        if self.currency and not is_currency(self.currency):
            raise ValidationError({"currency": _("an ISO 4217 code such as USD or VND")})


class Membership(TimeStamped):
    """A user's place in one organisation: the actor of every service call."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.REP)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_org"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation.slug} ({self.role})"

    @property
    def name(self) -> str:
        return self.user.get_full_name()

    @property
    def email(self) -> str:
        return self.user.email


def _hash_token(raw: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is safe and lets us look them up.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(TimeStamped):
    """A personal API token for one membership; only its hash is stored."""

    PREFIX = "shk_"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100, default="cli")
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def generate(cls) -> tuple[str, str]:
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        return raw, _hash_token(raw)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)


class AuditEntry(models.Model):
    """Append-only: who changed what, when, before and after, and why (SPEC §11.9)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "object_type", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id} by {self.actor_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit entries are append-only.")
