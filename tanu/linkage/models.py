"""Likely duplicates found by record linkage, and what people decided about them.

A pair holds only ids, agencies, regions, a probability and the names of the fields that agreed:
never a personal value. Who may see a pair is decided in tanu.linkage.access.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
