"""Imports of legacy registers: each import (a batch) and each record it brought in.

An external id (the number a person had in the agency's own register) can identify a person
to anyone holding that register: it is stored encrypted, and its uniqueness within the agency is
kept through a keyed hash (blind index), never through plaintext. A batch keeps no file name
(names of files are often names of people) and no content once it is imported."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanu.lib.crypto import EncryptedTextField

WORKER_DELAY = timedelta(minutes=1)


class ImportBatch(models.Model):
    """One file imported (or checked, waiting to be confirmed) into one agency."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("checked, waiting to be confirmed")
        QUEUED = "queued", _("waiting for the background worker")
        RUNNING = "running", _("importing")
        IMPORTED = "imported", _("imported")
        FAILED = "failed", _("failed: nothing was imported")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    # None when the operator imported on the server (tanu persons import without --by).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    #: SHA-256 of the file as uploaded: the same file again is recognised without keeping it.
    digest = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    already_imported = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(null=True, blank=True)
    #: Rows checked so far by the background task (of :attr:`rows`).
    progress = models.PositiveIntegerField(default=0)
    #: Why it failed, in the uploader's language (no personal values).
    message = models.CharField(max_length=500, blank=True)
    #: The checked file, between the check and the confirmation on the page; emptied by the
    #: import and by the hourly purge.
    content = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-at"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self) -> str:
        return f"register import {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def waits_for_a_worker(self) -> bool:
        """Still waiting a minute after it was confirmed: no worker has taken it yet."""
        return self.status == self.Status.QUEUED and timezone.now() - self.at > WORKER_DELAY

    @property
    def writing(self) -> bool:
        """Every row is checked and the rows are being written (in one transaction, whose
        progress no other connection sees: the page shows it as indeterminate)."""
        return self.status == self.Status.RUNNING and self.progress >= self.rows


class ImportedRecord(models.Model):
    """A person brought in by an import, under the id the agency's register gave them."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="records")
    #: A foreign key, not one-to-one: a merge of two persons (tanu.linkage) may leave one
    #: person with the records of both.
    person = models.ForeignKey(
        "cases.Person", on_delete=models.CASCADE, related_name="imported_records"
    )
    external_id = EncryptedTextField(_("external id"))
    #: Keyed hash of the normalised external id (tanu.lib.crypto.blind_index, kind
    #: ``text.external_id``): one record per id and agency.
    digest = models.CharField(max_length=64)
    #: The region the register gave (where the person was registered), if any; the case itself
    #: belongs to the importing agency's region.
    region = models.ForeignKey(
        "accounts.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "digest"], name="imported_record_unique_external_id"
            )
        ]

    def __str__(self) -> str:
        return f"imported record {self.pk}"
