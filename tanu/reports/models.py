"""Background export jobs. The file is stored encrypted on disk and may be downloaded once, by
the person who asked for it; then it is deleted."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: An export still waiting this long after it was asked for says that no worker took it yet.
WORKER_DELAY = timedelta(minutes=1)


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        ANONYMISED = "anonymised", _("anonymised microdata (CSV, k-anonymous)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")
        DOWNLOADED = "downloaded", _("downloaded")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    message = models.CharField(max_length=300, blank=True)  # never personal data
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    storage_name = models.CharField(max_length=64, blank=True)
    filename = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)  # the export's metadata
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.kind} export {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def waits_for_a_worker(self) -> bool:
        """Still waiting a minute after it was asked for: no worker has taken it yet."""
        return self.status == self.Status.QUEUED and timezone.now() - self.created_at > WORKER_DELAY

    @property
    def can_download(self) -> bool:
        return self.status == self.Status.DONE and self.downloaded_at is None


class ScreeningCube(models.Model):
    """Finalised screenings counted by month and by every field the dashboard filters or groups
    by (sex excepted: it lives on cases), with the sum of their ids for the cell keys
    (tanu.reports.suppression). Rebuilt whole by tanu.reports.cube.rebuild; the dashboard adds
    the screenings finalised (and takes away those corrected) since, so figures are exact."""

    month = models.DateField()
    region_id = models.BigIntegerField()
    agency_kind = models.CharField(max_length=32)
    place = models.CharField(max_length=30)
    form = models.CharField(max_length=10)
    age_group = models.CharField(max_length=24)
    outcome = models.CharField(max_length=20)
    n = models.PositiveIntegerField()
    id_sum = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "region_id"], name="reports_cube_month_region")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} region {self.region_id}: {self.n}"


class CubeState(models.Model):
    """One row: when the cube was last built (rebuilds run as tasks: tanu.reports.cube)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    built_at = models.DateTimeField(null=True, blank=True)
    cutoff = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    screenings = models.PositiveBigIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"statistics cube built at {self.built_at}"


class StatsSnapshot(models.Model):
    """The true figures of the dashboard for one set of filters, as computed at ``computed_at``
    (tanu.reports.snapshots). Counts and cell keys only, never personal data; published
    through the small-cell protection whenever shown."""

    key = models.CharField(max_length=64, unique=True)  # digest of the filters
    filters = models.JSONField(default=dict)  # the filters, for an administrator's eyes
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["computed_at"], name="reports_snapshot_age_idx")]

    def __str__(self) -> str:
        return f"statistics snapshot {self.key[:8]} of {self.computed_at}"
