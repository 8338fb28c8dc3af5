"""Likely duplicates found by record linkage, and what people decided about them.

A pair holds only ids, agencies, regions, a probability and the names of the fields that agreed:
never a personal value. Who may see a pair is decided in tanu.linkage.access.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanu.lib.crypto import EncryptedTextField


class LinkageRun(models.Model):
    """One run of the linkage model: nightly over everyone, or one person against the rest."""

    class Kind(models.TextChoices):
        FULL = "full", _("all persons")
        INCREMENTAL = "incremental", _("one person against the rest")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    persons = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)
    threshold = models.FloatField()
    # The estimated model (Fellegi-Sunter m and u probabilities), as Splink writes it: no values
    # of persons, only field names, levels and probabilities.
    model = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"linkage run {self.pk} ({self.kind})"


class MatchPair(models.Model):
    """Two persons that likely are one. person_a has the lower id."""

    class Status(models.TextChoices):
        OPEN = "open", _("to review")
        MERGED = "merged", _("merged")
        DIFFERENT = "different", _("not the same person")

    person_a = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    agency_a = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    agency_b = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    region_a = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+")
    region_b = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+")
    match_probability = models.FloatField()
    agreements = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    run = models.ForeignKey(
        LinkageRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    found_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="linkage_one_pair"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="linkage_pair_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["agency_a", "status"]),
            models.Index(fields=["agency_b", "status"]),
            models.Index(fields=["region_a", "status"]),
            models.Index(fields=["region_b", "status"]),
        ]

    def __str__(self) -> str:
        return f"pair {self.pk}"

    @property
    def across_agencies(self) -> bool:
        return self.agency_a_id != self.agency_b_id


class PersonMerge(models.Model):
    """Two records of one agency found to be one person: the merged case is kept, readable and
    linked to the kept one, never deleted. Undone by an unmerge, which keeps this row."""

    pair = models.ForeignKey(MatchPair, on_delete=models.PROTECT, related_name="merges")
    kept_person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    kept_case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    merged_person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    merged_case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = EncryptedTextField(_("reason"), blank=True, default="")
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = EncryptedTextField(_("reason for undoing"), blank=True, default="")

    class Meta:
        ordering = ["-at"]
        constraints = [
            # A case is merged into at most one other at a time.
            models.UniqueConstraint(
                fields=["merged_case"],
                condition=models.Q(undone_at__isnull=True),
                name="linkage_merged_once",
            ),
        ]

    def __str__(self) -> str:
        return f"merge {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.undone_at is None


class ContactRequest(models.Model):
    """A case worker asks, through the coordinator of the other record's region, that the
    agency holding a likely match get in touch. The holding agency decides, under the person's
    consent, and shares only by a referral (tanu.referrals)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for the coordinator")
        FORWARDED = "forwarded", _("forwarded to the holding agency")
        SHARED = "shared", _("shared through a referral")
        DECLINED = "declined", _("declined")

    pair = models.ForeignKey(MatchPair, on_delete=models.PROTECT, related_name="contact_requests")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    from_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    holding_case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    holding_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reason = EncryptedTextField(_("reason"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    coordinator_at = models.DateTimeField(null=True, blank=True)
    coordinator_note = EncryptedTextField(_("coordinator's note"), blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(_("holding agency's note"), blank=True, default="")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["holding_agency", "status"]),
            models.Index(fields=["from_agency", "status"]),
        ]

    def __str__(self) -> str:
        return f"contact request {self.pk}"
