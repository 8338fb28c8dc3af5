"""Users, regions, agencies and roles."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TrilingualName(models.Model):
    name_kk = models.CharField(_("name in Kazakh"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "ru")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name_ru)


class Region(TrilingualName):
    """A region of Kazakhstan or a city of republican significance."""

    class Kind(models.TextChoices):
        REGION = "region", _("region")
        CITY = "city", _("city of republican significance")

    code = models.CharField(_("ISO 3166-2 code"), max_length=8, unique=True)
    short = models.CharField(_("short code"), max_length=3, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    seminar_city = models.CharField(_("seminar city"), max_length=60, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Agency(TrilingualName):
    class Kind(models.TextChoices):
        ADMINISTRATIVE_POLICE = "administrative_police", _("administrative police")
        CRIMINAL_POLICE = "criminal_police", _("criminal police")
        MIGRATION_SERVICE = "migration_service", _("migration service")
        REHAB_HOMELESS = "rehab_homeless", _("rehabilitation centre for homeless people")
        JUVENILE_CENTRE = "juvenile_centre", _("centre for juveniles")
        NGO = "ngo", _("non-governmental organisation")
        SHELTER = "shelter", _("shelter")
        HEALTH = "health", _("health")
        SOCIAL_PROTECTION = "social_protection", _("social protection")
        PROSECUTOR = "prosecutor", _("prosecutor's office")
        LABOUR_INSPECTORATE = "labour_inspectorate", _("labour inspectorate")
        CONSULATE = "consulate", _("consulate")
        MINISTRY = "ministry", _("ministry")
        OTHER = "other", _("other")

    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("region")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")


class Role(models.TextChoices):
    SCREENER = "screener", _("screener")
    CASE_WORKER = "case_worker", _("case worker")
    COORDINATOR = "coordinator", _("coordinator")
    MONITOR = "monitor", _("monitor")
    TRAINER = "trainer", _("trainer")
    ANALYST = "analyst", _("analyst")
    ADMINISTRATOR = "administrator", _("administrator")


# Roles whose work brings them to personal data (case data, or seminar participants' data).
PERSONAL_DATA_ROLES = frozenset(
    {
        Role.SCREENER,
        Role.CASE_WORKER,
        Role.COORDINATOR,
        Role.MONITOR,
        Role.TRAINER,
        Role.ADMINISTRATOR,
    }
)
# Roles that handle case data (screenings, cases, referrals).
CASE_ROLES = frozenset({Role.SCREENER, Role.CASE_WORKER, Role.COORDINATOR, Role.MONITOR})


class User(AbstractUser):
    """An official. Belongs to one agency with one role (the membership)."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def region_id_or_none(self) -> int | None:
        return self.agency.region_id if self.agency_id and self.agency else None

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles

    @property
    def needs_mfa(self) -> bool:
        return self.role in PERSONAL_DATA_ROLES or self.is_superuser

    @property
    def handles_cases(self) -> bool:
        return self.role in CASE_ROLES


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"token {self.pk} of user {self.user_id}"

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at


class LoginSession(models.Model):
    """The session keys of a user's sign-ins, so that disabling a user can end them at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"session of user {self.user_id}"


class Counter(models.Model):
    """Gap-free serial numbers for pseudonymous references (ALM-2026-000123)."""

    key = models.CharField(max_length=40, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


def next_reference(prefix: str, region_short: str, year: int) -> str:
    """The next reference for a prefix, region and year. Call inside a transaction."""
    from django.db import transaction

    key = f"{prefix}-{region_short}-{year}"
    with transaction.atomic():
        counter, _ = Counter.objects.select_for_update().get_or_create(key=key)
        counter.last += 1
        counter.save(update_fields=["last"])
    head = f"{prefix}-" if prefix else ""
    return f"{head}{region_short}-{year}-{counter.last:06d}"
