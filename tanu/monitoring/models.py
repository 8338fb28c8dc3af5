"""Monitoring of places of detention and rehabilitation centres: the facility registry, planned
and recorded visits, and the follow-up actions a visit calls for.

A visit report holds counts and observations only. People met during a visit are recorded through
screenings started from the visit (tanu.identification), and through their cases: never here."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanu.accounts.models import TrilingualName
from tanu.identification.models import Place


class Facility(TrilingualName):
    """A place where people are held or housed and where trafficking may go unrecognised."""

    class Kind(models.TextChoices):
        TEMPORARY_DETENTION = "temporary_detention", _("temporary detention facility")
        SPECIAL_RECEPTION = (
            "special_reception",
            _("special reception centre for administrative detainees"),
        )
        MIGRANT_HOLDING = "migrant_holding", _("holding facility for foreigners and migrants")
        JUVENILE_CENTRE = (
            "juvenile_centre",
            _("centre for the adaptation and rehabilitation of juveniles"),
        )
        REHAB_HOMELESS = "rehab_homeless", _("rehabilitation centre for homeless people")
        SHELTER = "shelter", _("shelter")
        OTHER = "other", _("other place")

    kind = models.CharField(_("type of facility"), max_length=24, choices=Kind.choices)
    region = models.ForeignKey(
        "accounts.Region",
        on_delete=models.PROTECT,
        related_name="facilities",
        verbose_name=_("region"),
    )
    operating_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
        verbose_name=_("operating agency"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (places)"), null=True, blank=True)
    contacts = models.CharField(_("contacts (duty phone, e-mail)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        indexes = [models.Index(fields=["region", "kind"])]

    @property
    def screening_place(self) -> str:
        """The place recorded on a screening started during a visit here."""
        return PLACE_BY_KIND.get(self.kind, Place.OTHER)


#: A facility's own fields: what its form, the API and the named actions read and write.
FACILITY_FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "kind",
    "region",
    "operating_agency",
    "address",
    "capacity",
    "contacts",
    "is_active",
)

PLACE_BY_KIND: dict[str, str] = {
    Facility.Kind.TEMPORARY_DETENTION: Place.DETENTION_FACILITY,
    Facility.Kind.SPECIAL_RECEPTION: Place.DETENTION_FACILITY,
    Facility.Kind.MIGRANT_HOLDING: Place.DETENTION_FACILITY,
    Facility.Kind.JUVENILE_CENTRE: Place.REHABILITATION_CENTRE,
    Facility.Kind.REHAB_HOMELESS: Place.REHABILITATION_CENTRE,
    Facility.Kind.SHELTER: Place.REHABILITATION_CENTRE,
    Facility.Kind.OTHER: Place.OTHER,
}


class Visit(models.Model):
    """A monitoring visit: planned first, then recorded (the report) or cancelled."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("recorded")
        CANCELLED = "cancelled", _("cancelled")

    class Access(models.TextChoices):
        FULL = "full", _("full access granted")
        PARTIAL = "partial", _("partial access")
        REFUSED = "refused", _("access refused")

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="visits", verbose_name=_("facility")
    )
    # The facility's region, kept on the visit: access and statistics filter on it.
    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField(_("planned date"))
    purpose = models.CharField(_("purpose of the visit"), max_length=500)
    announced = models.BooleanField(_("announced to the facility in advance"), default=False)
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="VisitMember", related_name="monitoring_visits"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    # The report.
    visited_on = models.DateField(_("date of the visit"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    adults_present = models.PositiveIntegerField(_("adults present"), null=True, blank=True)
    juveniles_present = models.PositiveIntegerField(
        _("juveniles present (under 18)"), null=True, blank=True
    )
    foreigners_present = models.PositiveIntegerField(
        _("of them, foreigners and stateless people"), null=True, blank=True
    )
    people_screened = models.PositiveIntegerField(_("people screened"), null=True, blank=True)
    access = models.CharField(_("access"), max_length=10, choices=Access.choices, blank=True)
    access_notes = models.TextField(_("observations on access granted or refused"), blank=True)
    conditions = models.TextField(_("observations on conditions"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    # The report while it is being written, section by section: kept apart from the report's
    # fields, so that statistics, the API and the printed report never see it before it is
    # finished (field name: value, as JSON).
    report_draft = models.JSONField(default=dict, blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)  # bumped on every write: concurrent edits

    class Meta:
        ordering = ["planned_on", "pk"]
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")
        indexes = [
            models.Index(fields=["region", "planned_on"]),
            models.Index(fields=["region", "status", "planned_on"]),
        ]

    def __str__(self) -> str:
        return f"visit {self.pk} to facility {self.facility_id} on {self.planned_on}"

    @property
    def day(self) -> date:
        """The day the visit took place, or is planned for."""
        return self.visited_on or self.planned_on

    def is_overdue(self, today: date | None = None) -> bool:
        """Planned, its day passed, and no report yet."""
        return self.status == self.Status.PLANNED and self.planned_on < (
            today or timezone.localdate()
        )

    @property
    def has_draft(self) -> bool:
        """A report is being written and not finished yet."""
        return self.status == self.Status.PLANNED and self.draft_saved_at is not None

    @property
    def people_present(self) -> int | None:
        if self.adults_present is None and self.juveniles_present is None:
            return None
        return (self.adults_present or 0) + (self.juveniles_present or 0)


class VisitMember(models.Model):
    """A member of a visit's team, in the capacity they visit in."""

    class Capacity(models.TextChoices):
        MONITOR = "monitor", _("monitor")
        POLICE = "police", _("police")
        NGO = "ngo", _("NGO")
        SOCIAL = "social", _("social services")
        OTHER = "other", _("other")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(_("capacity"), max_length=10, choices=Capacity.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "user"], name="unique_visit_member")
        ]

    def __str__(self) -> str:
        return f"{self.capacity} {self.user_id} on visit {self.visit_id}"


class FollowUpAction(models.Model):
    """Something a visit calls for, owned by one official, due by a date, tracked to the end."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="follow_ups")
    description = models.CharField(_("what is to be done"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="monitoring_actions",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due by"))
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("what was done"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["status", "due_on", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"follow-up action {self.pk} of visit {self.visit_id}"

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status == self.Status.OPEN and self.due_on < (today or timezone.localdate())
