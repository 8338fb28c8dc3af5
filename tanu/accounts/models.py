"""Users, regions, agencies and roles."""

from __future__ import annotations

import hashlib
import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from datetime import datetime
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from tanu.lib.crypto import EncryptedTextField


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
    # Translators: the person who accompanies a presumed victim; not a records clerk.
    CASE_WORKER = "case_worker", _("case worker")
    COORDINATOR = "coordinator", _("coordinator")
    MONITOR = "monitor", _("monitor")
    TRAINER = "trainer", _("trainer")
    ANALYST = "analyst", _("analyst")
    ADMINISTRATOR = "administrator", _("administrator")
    # Criminal police and prosecution staff: they record criminal proceedings (tanu.proceedings).
    INVESTIGATOR = "investigator", _("investigator")
    # The national referral mechanism's owners: checklist versions (import, approve with a
    # second national administrator) and article lists; no case data.
    NATIONAL_ADMIN = "national_admin", _("national administrator")


# Roles whose work brings them to personal data (case data, or seminar participants' data).
PERSONAL_DATA_ROLES = frozenset(
    {
        Role.SCREENER,
        Role.CASE_WORKER,
        Role.COORDINATOR,
        Role.MONITOR,
        Role.TRAINER,
        Role.ADMINISTRATOR,
        Role.INVESTIGATOR,
    }
)
# Roles that handle case data (screenings, cases, referrals).
CASE_ROLES = frozenset({Role.SCREENER, Role.CASE_WORKER, Role.COORDINATOR, Role.MONITOR})


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp devices
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

    @property
    def needs_mfa(self) -> bool:
        """Where MFA is required (TANU_REQUIRE_MFA), every account needs it: analysts and
        administrators too, and accounts without a role yet (a role may be given later)."""
        return True

    @property
    def handles_cases(self) -> bool:
        return self.role in CASE_ROLES

    # What the audit floor asks of a reader of the trail (tanu.audit.access.AuditReader): audit
    # sits below accounts and knows no roles.
    @property
    def reads_whole_audit(self) -> bool:
        return self.role == Role.ADMINISTRATOR or self.is_superuser

    @property
    def audit_region_id(self) -> int | None:
        """The region whose trail a coordinator reads; None for everyone else."""
        return self.region_id_or_none if self.role == Role.COORDINATOR else None


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    # A digest of the user's password hash when the token was issued: a password change by any
    # path makes every earlier token stop working.
    password_digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"token {self.pk} of user {self.user_id}"

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def matches_password(self, user: User) -> bool:
        return secrets.compare_digest(self.password_digest, password_digest(user))


def password_digest(user: User) -> str:
    """A digest of the session auth hash (an HMAC of the password hash under the secret key)."""
    return hashlib.sha256(user.get_session_auth_hash().encode()).hexdigest()


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


def next_references(prefix: str, region_short: str, year: int, count: int) -> list[str]:
    """The next ``count`` references for a prefix, region and year, taken at once (bulk
    imports). Call inside a transaction."""
    from django.db import transaction

    key = f"{prefix}-{region_short}-{year}"
    with transaction.atomic():
        counter, _ = Counter.objects.select_for_update().get_or_create(key=key)
        first = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
    head = f"{prefix}-" if prefix else ""
    return [f"{head}{region_short}-{year}-{n:06d}" for n in range(first, first + count)]


# --- second factors -------------------------------------------------------------------------


def _random_totp_key() -> str:
    return secrets.token_hex(20)


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]
    """A TOTP authenticator app. The seed is stored encrypted; once enrolment is confirmed it is
    never shown again, to the official or to an administrator."""

    key = EncryptedTextField(_("secret"), default=_random_totp_key)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    @property
    def base32_key(self) -> str:
        """The seed as authenticator apps take it (RFC 4648 base32, without padding): in the QR
        code's URI, and, grouped in fours, when typed in by hand."""
        return b32encode(self.bin_key).decode().rstrip("=")

    @property
    def grouped_base32_key(self) -> str:
        key = self.base32_key
        return " ".join(key[i : i + 4] for i in range(0, len(key), 4))

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1))

    def verify_token(self, token: object) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            number = int(str(token))
        except ValueError:
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = bool(totp.verify(number, self.tolerance, self.last_t + 1))
            if verified:
                self.last_t = totp.t()
                self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    @property
    def config_url(self) -> str:
        issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "tanu")).replace(":", "")
        label = f"{issuer}:{self.user.get_username()}"
        params = urlencode(
            {
                "secret": self.base32_key,
                "algorithm": "SHA1",
                "digits": self.digits,
                "period": self.step,
            }
        )
        return f"otpauth://totp/{quote(label)}?{params}&issuer={quote(issuer)}"


RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l


def normalise_recovery_code(raw: str) -> str:
    return "".join(ch for ch in raw.lower() if ch.isalnum())


def new_recovery_code() -> str:
    """16 characters from a 32-letter alphabet: 80 random bits, shown as xxxx-xxxx-xxxx-xxxx."""
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _i in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _random_salt() -> str:
    return secrets.token_hex(16)


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]
    """One-time recovery codes. Only salted SHA-256 digests are stored: new codes carry 80
    random bits, so a digest cannot be reversed by trying codes."""

    salt = models.CharField(max_length=32, default=_random_salt)

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def digest(self, raw: str) -> str:
        normalised = normalise_recovery_code(raw)
        return hashlib.sha256(f"{self.salt}:{normalised}".encode()).hexdigest()

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1))

    def replace_codes(self) -> list[str]:
        """New codes replace any earlier ones. The caller shows them once and forgets them."""
        codes = [new_recovery_code() for _i in range(RECOVERY_CODE_COUNT)]
        self.codes.all().delete()
        RecoveryCode.objects.bulk_create(
            [RecoveryCode(device=self, code_hash=self.digest(code)) for code in codes]
        )
        return codes

    def verify_token(self, token: object) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        text = str(token)
        match = self.codes.filter(code_hash=self.digest(text)).first() if text else None
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return f"recovery code {self.pk}"


# --- administration -------------------------------------------------------------------------


class RoleChangeRequest(models.Model):
    """A role that sees personal data, asked for by one administrator. It takes effect only
    when a second administrator approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a second administrator")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_requests", verbose_name=_("official")
    )
    role = models.CharField(_("new role"), max_length=20, choices=Role.choices)
    previous_role = models.CharField(_("role when asked"), max_length=20, blank=True)
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("role change request")
        verbose_name_plural = _("role change requests")

    def __str__(self) -> str:
        return f"role request {self.pk} for user {self.user_id}"

    @property
    def previous_role_label(self) -> str:
        """The role when asked, by its name in the reader's language ("" for none)."""
        return str(Role(self.previous_role).label) if self.previous_role in Role.values else ""


class SignInFailure(models.Model):
    """A failed sign-in from an address, kept for a short window to throttle password spraying
    (many usernames tried from one address). Only a digest of the username is kept."""

    address = models.GenericIPAddressField()
    username_digest = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["address", "at"])]

    def __str__(self) -> str:
        return f"failed sign-in at {self.at:%Y-%m-%d %H:%M}"
