"""The service directory, referrals with consent and minimum sharing, services given,
identification decisions with a second reviewer, and the in-app inbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanu.accounts.models import TrilingualName
from tanu.cases.models import (  # noqa: F401  (the referral's vocabulary, defined with consent)
    IDENTIFYING_FIELDS,
    MINIMUM_FIELDS,
    SHAREABLE_FIELD_LABELS,
    SHAREABLE_FIELDS,
)
from tanu.lib.crypto import EncryptedTextField


class Service(TrilingualName):
    class Kind(models.TextChoices):
        SHELTER = "shelter", _("shelter")
        MEDICAL = "medical", _("medical care")
        PSYCHOLOGICAL = "psychological", _("psychological support")
        LEGAL_AID = "legal_aid", _("legal aid")
        SPECIAL_SOCIAL_SERVICES = "special_social_services", _("special social services")
        CHILD_PROTECTION = "child_protection", _("child protection and guardianship")
        POLICE_INVESTIGATION = "police_investigation", _("police investigation unit")
        MIGRATION_SERVICE = "migration_service", _("migration service")
        CONSULATE = "consulate", _("consulate")
        RETURN_REINTEGRATION = "return_reintegration", _("return and reintegration")
        HOTLINE = "hotline", _("hotline")

    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    region = models.ForeignKey(
        "accounts.Region",
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("region"),
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("agency on tanu"),
        help_text=_(
            "The agency that receives referrals through tanu; empty for outside providers."
        ),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    accepts_adults = models.BooleanField(_("accepts adults"), default=True)
    accepts_children = models.BooleanField(_("accepts children"), default=False)
    accepts_women = models.BooleanField(_("accepts women"), default=True)
    accepts_men = models.BooleanField(_("accepts men"), default=True)
    accepts_foreigners = models.BooleanField(_("accepts foreigners"), default=True)
    forms = models.CharField(
        _("forms of exploitation"), max_length=30, default="labour,sexual", blank=True
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name_en"], name="unique_service_name_per_region"
            )
        ]

    @property
    def via_tanu(self) -> bool:
        return self.agency_id is not None

    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("routine")
        URGENT = "urgent", _("urgent (within 48 hours)")
        EMERGENCY = "emergency", _("emergency (today)")

    class ConsentException(models.TextChoices):
        NONE = "", _("none: consent was recorded")
        CHILD = "child", _("a child: referral in the child's best interests")
        RISK_TO_LIFE = "risk_to_life", _("a risk to life")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    from_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    purpose = EncryptedTextField(_("purpose"))
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    shared_fields = models.JSONField(_("information shared"), default=list)
    consent = models.ForeignKey(
        "cases.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent_exception = models.CharField(
        _("exception to consent"),
        max_length=16,
        choices=ConsentException.choices,
        blank=True,
        default="",
    )
    exception_reason = EncryptedTextField(_("reason for the exception"), blank=True, default="")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENT)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True, default="")
    due_date = models.DateField(_("answer due by"))
    external_outcome = EncryptedTextField(_("outcome (recorded by hand)"), blank=True, default="")
    feedback = EncryptedTextField(_("feedback from the service"), blank=True, default="")
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["to_agency", "status"]),
            models.Index(fields=["from_agency", "status"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk} of case {self.case_id}"

    @property
    def is_external(self) -> bool:
        return self.to_agency_id is None

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SENT, self.Status.ACCEPTED, self.Status.IN_PROGRESS)

    def is_overdue(self, today: object = None) -> bool:
        day = today or timezone.localdate()
        return self.status == self.Status.SENT and self.due_date < day  # type: ignore[operator]


class ReferralEvent(models.Model):
    """Every change of a referral's state, time-stamped, for the case timeline."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Referral.Status.choices)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.status} at {self.at:%Y-%m-%d %H:%M}"


class ServiceRecord(models.Model):
    """A service given under a referral, recorded by the receiving agency."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="services_given")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    given_on = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("service"), max_length=32, choices=Service.Kind.choices)
    description = EncryptedTextField(_("what was done"), blank=True, default="")

    class Meta:
        ordering = ["given_on"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.given_on}"


class IdentificationDecision(models.Model):
    """The competent authority's decision on the person's status. A negative decision on a
    presumed victim stands only once an independent second reviewer confirms it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        IDENTIFIED = "identified", _("identified as a victim")
        NOT_IDENTIFIED = "not_identified", _("not identified as a victim")

    class Review(models.TextChoices):
        NOT_NEEDED = "", _("not needed")
        AWAITING = "awaiting", _("awaiting a second reviewer")
        CONFIRMED = "confirmed", _("confirmed by a second reviewer")
        OVERTURNED = "overturned", _("overturned by a second reviewer")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="identification_decisions"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("decision"), max_length=16, choices=Status.choices)
    reasons = EncryptedTextField(_("reasons"))
    due_date = models.DateField(_("final decision due by"), null=True, blank=True)
    review = models.CharField(max_length=10, choices=Review.choices, blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reasons = EncryptedTextField(_("reviewer's reasons"), blank=True, default="")

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.status} decision on case {self.case_id}"

    @property
    def stands(self) -> bool:
        return self.review in (self.Review.NOT_NEEDED, self.Review.CONFIRMED)


class Notification(models.Model):
    """An in-app message. It never holds personal data: a case number and a link at most."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=200, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for user {self.user_id}"
