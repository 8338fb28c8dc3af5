"""Checklist versions (loaded from the files in checklists/) and screenings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tanu.lib.crypto import EncryptedTextField


class ChecklistVersion(models.Model):
    """One version of a checklist. The first versions come from the files in checklists/
    (approved, in force from the beginning); later ones are imported by a national
    administrator as drafts and take effect from a date once a second one approves them.
    Never edited once a finished screening uses it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("waiting for a second national administrator")
        APPROVED = "approved", _("approved")
        SUPERSEDED = "superseded", _("replaced by a later version")
        REJECTED = "rejected", _("rejected")

    checklist_id = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    population = models.CharField(max_length=10)
    form = models.CharField(max_length=10)
    data = models.JSONField()
    digest = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPROVED
    )
    # A version read from a spreadsheet (not from the package's files).
    imported = models.BooleanField(default=False)
    # Who imported the version; empty for the files' versions and for the operator's command.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # The first day the version is in force; empty: from the beginning (the files' versions).
    effective_from = models.DateField(_("in force from"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["checklist_id", "version"], name="unique_checklist_version"
            )
        ]
        ordering = ["checklist_id", "-version"]

    def __str__(self) -> str:
        return f"{self.checklist_id} v{self.version}"

    @property
    def is_imported(self) -> bool:
        return self.imported

    def title(self) -> str:
        lang = (get_language() or "ru")[:2]
        titles: dict[str, str] = self.data.get("title", {})
        return titles.get(lang) or titles.get("en", self.checklist_id)


class Place(models.TextChoices):
    PATROL = "patrol", _("patrol")
    DETENTION_FACILITY = "detention_facility", _("detention facility")
    REHABILITATION_CENTRE = "rehabilitation_centre", _("rehabilitation centre")
    BORDER_OR_TRANSPORT = "border_or_transport", _("border or transport")
    WORKPLACE_INSPECTION = "workplace_inspection", _("workplace inspection")
    HOTLINE = "hotline", _("hotline")
    OTHER = "other", _("other")


class AgeGroup(models.TextChoices):
    ADULT = "adult", _("adult (18 or older)")
    CHILD = "child", _("child (under 18)")
    UNKNOWN_MAYBE_CHILD = "unknown_maybe_child", _("age unknown, may be a child")
    UNKNOWN = "unknown", _("age unknown, clearly an adult")


class Form(models.TextChoices):
    LABOUR = "labour", _("labour exploitation (incl. begging, criminality, domestic servitude)")
    SEXUAL = "sexual", _("sexual exploitation")
    UNKNOWN = "unknown", _("not known yet")


class Answer(models.TextChoices):
    OBSERVED = "observed", _("observed")
    NOT_OBSERVED = "not_observed", _("not observed")
    # Not asked yet: never counts towards "enough asked" (choosing it takes an answer back).
    UNKNOWN = "unknown", _("not asked yet")
    DECLINED = "declined", _("declined to answer")


class StopReason(models.TextChoices):
    """Why an interview stopped before enough was asked (the outcome is then ``incomplete``)."""

    DECLINED = "declined", _("the person declined to go on")
    NO_INTERPRETER = "no_interpreter", _("no interpreter")
    NOT_SAFE = "not_safe", _("not safe to go on")
    LEFT = "left", _("the person left")
    OTHER = "other", _("another reason (say which in the note)")


class Judgement(models.TextChoices):
    AGREE = "agree", _("I agree with the assessment")
    MORE_CONCERNED = "more_concerned", _("I am more concerned than the assessment shows")
    LESS_CONCERNED = "less_concerned", _("I am less concerned than the assessment shows")


#: Where, with whom and about what a screening was done: what the official fills in before the
#: indicators (the form, the API and the named actions use this one list).
_WHERE_AND_HOW = ("place", "facility_name", "interview_language", "interpreter_used")
_WHO_AND_WHAT = ("age_group", "age_years", "form")
SCREENING_CONTEXT_FIELDS = (*_WHERE_AND_HOW, *_WHO_AND_WHAT, "screened_on")


class Screening(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        FINAL = "final", _("finalised")
        SUPERSEDED = "superseded", _("superseded by a correction")

    class Source(models.TextChoices):
        WEB = "web", _("on screen")
        PAPER = "paper", _("typed in from a paper form")
        API = "api", _("through the API")
        OFFLINE = "offline", _("on a phone without a connection")

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="screenings"
    )
    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    screened_on = models.DateField(_("date of the screening"), default=timezone.localdate)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)

    place = models.CharField(_("where"), max_length=30, choices=Place.choices)
    facility_name = models.CharField(_("facility, if any"), max_length=200, blank=True)
    interview_language = models.CharField(_("interview language"), max_length=40)
    interpreter_used = models.BooleanField(_("an interpreter was used"), default=False)
    age_group = models.CharField(_("age"), max_length=24, choices=AgeGroup.choices)
    age_years = models.PositiveSmallIntegerField(_("age in years, if known"), null=True, blank=True)
    form = models.CharField(_("form of exploitation"), max_length=10, choices=Form.choices)

    answers = models.JSONField(default=dict, blank=True)
    # A screening done offline: the phone's own id for it (a retry never stores it twice), and
    # what the phone's assessment found (the server's, in ``result``, stands).
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    device_result = models.JSONField(default=dict, blank=True, editable=False)
    checklist_versions = models.ManyToManyField(ChecklistVersion, related_name="screenings")
    result = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=20, blank=True, db_index=True)
    threshold_met = models.BooleanField(default=False)

    judgement = models.CharField(
        _("your own judgement"), max_length=20, choices=Judgement.choices, blank=True
    )
    notes = EncryptedTextField(_("your notes"), blank=True, default="")
    stop_reason = models.CharField(
        _("why the interview stopped"), max_length=20, choices=StopReason.choices, blank=True
    )
    stop_note = EncryptedTextField(_("about the stop"), blank=True, default="")

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(default=1)  # bumped on every write: concurrent edits
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screenings",
    )
    visit = models.ForeignKey(
        "monitoring.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screenings",
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agency", "status", "-created_at"]),
            models.Index(fields=["region", "outcome", "screened_on"]),
            # Lists, newest first, of an agency's screenings and of a region's (coordinators).
            models.Index(fields=["agency", "-created_at"], name="screening_agency_recent_idx"),
            models.Index(fields=["region", "-created_at"], name="screening_region_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT
