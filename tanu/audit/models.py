"""An append-only, hash-chained audit trail. It records who did what to which object, never the
personal data itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanu.lib.crypto import EncryptedTextField


class Action(models.TextChoices):
    CREATE = "create", _("create")
    READ = "read", _("read")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    REVEAL = "reveal", _("reveal")
    BREAK_GLASS = "break_glass", _("break-the-glass access")
    LOGIN = "login", _("sign-in")
    LOGIN_FAILED = "login_failed", _("failed sign-in")
    LOGOUT = "logout", _("sign-out")
    DENIED = "denied", _("denied access")
    DISABLE = "disable", _("disable user")
    FINALISE = "finalise", _("finalise")
    KEY_CHANGE = "key_change", _("audit key change")


class ObjectType(models.TextChoices):
    """What an audit entry is about. The values are stored and hashed into the chain: never
    change one (add a member instead)."""

    # Cases (persons and what their case file holds)
    PERSON = "person", _("person")
    PERSON_SEARCH = "person_search", _("person search")
    CASE = "case", _("case")
    CONSENT = "consent", _("consent")
    NOTE = "note", _("case note")
    DOCUMENT = "document", _("document")
    DATA_REQUEST = "data_request", _("request to correct or erase data")
    ANONYMOUS_NOTIFICATION = "anonymous_notification", _("anonymous notification")
    REFLECTION_REMINDER = "reflection_reminder", _("reflection period reminder")
    # Identification
    SCREENING = "screening", _("screening")
    # Referrals and services
    REFERRAL = "referral", _("referral")
    SERVICE_RECORD = "service_record", _("service given")
    IDENTIFICATION_DECISION = "identification_decision", _("identification decision")
    SERVICE_DIRECTORY = "service_directory", _("service directory")
    # Registers and linkage (the same person across agencies)
    PERSON_IMPORT = "person_import", _("register import")
    MATCH_PAIR = "match_pair", _("possible duplicate")
    PERSON_MERGE = "person_merge", _("merge of two records")
    CONTACT_REQUEST = "contact_request", _("contact request")
    LINKAGE_RUN = "linkage_run", _("linkage run")
    # National checklist versions
    CHECKLIST_VERSION = "checklist_version", _("checklist version")
    # Criminal proceedings
    PROCEEDING = "proceeding", _("criminal proceeding")
    HEARING = "hearing", _("court hearing")
    CRIMINAL_ARTICLE = "criminal_article", _("Criminal Code article")
    # Monitoring
    FACILITY = "facility", _("facility")
    VISIT = "visit", _("monitoring visit")
    FOLLOW_UP_ACTION = "follow_up_action", _("follow-up action")
    # Training
    SEMINAR = "seminar", _("seminar")
    SEMINAR_SESSION = "seminar_session", _("seminar session")
    SEMINAR_PARTICIPANTS = "seminar_participants", _("seminar participants")
    TRAINING_PARTICIPANT = "training_participant", _("seminar participant")
    TRAINING_QUESTION = "training_question", _("test question")
    TRAINING_TEST = "training_test", _("test")
    TRAINING_TEST_RESULTS = "training_test_results", _("test results")
    TRAINING_ATTEMPT = "training_attempt", _("test attempt")
    TRAINING_RESULTS = "training_results", _("training results")
    TRAINING_EXERCISE = "training_exercise", _("training exercise")
    TRAINING_SURVEY = "training_survey", _("seminar survey")
    TRAINING_CERTIFICATE = "training_certificate", _("training certificate")
    # Reports
    STATISTICS = "statistics", _("statistics")
    EXPORT = "export", _("export")
    # Accounts and sign-in
    USER = "user", _("user")
    USERNAME = "username", _("username")
    OTP = "otp", _("one-time code")
    LOCKOUT = "lockout", _("sign-in lockout")
    API_TOKEN = "api_token", _("API token")
    ROLE_CHANGE_REQUEST = "role_change_request", _("role change request")
    AGENCY = "agency", _("agency")
    # The trail itself and operations
    AUDIT_TRAIL = "audit_trail", _("audit trail")
    AUDIT_KEY = "audit_key", _("audit key")
    ALERT = "alert", _("alert")
    BACKUP = "backup", _("backup")
    SYNTH = "synth", _("synthetic data")


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True, choices=ObjectType.choices)
    object_id = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(default=list, blank=True)
    # The reason can name a person: stored encrypted. The chain covers its keyed digest, so that
    # retention and erasure can clear the text (clear_reasons_for) and the chain still verifies.
    reason = EncryptedTextField(blank=True, default="")
    reason_digest = models.CharField(max_length=64, blank=True, default="")
    # The region of the object read or changed (a case's, or the case of a person, referral,
    # screening...), fixed when the entry is written: a coordinator's search finds every access
    # to the region's cases, whoever made it and wherever they work now.
    region = models.ForeignKey(
        "accounts.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.GenericIPAddressField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The unusual-access check counts one actor's recent entries on every person read.
            models.Index(fields=["actor", "at"], name="audit_entry_actor_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.action} {self.object_type}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("audit entries are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("audit entries are append-only")


class AuditHead(models.Model):
    """One row: the last sequence number and hash of the chain. Locked while appending, so that
    entries are chained in one order even under concurrent writers."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    # The id of the chain key in force (see tanu.audit.chain); "" for the key derived from
    # SECRET_KEY, under which chains written before the audit trail had its own key were kept.
    key_id = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return f"audit head at {self.seq}"


class Alert(models.Model):
    """A pattern in the trail that a person should look at: someone opening unusually many person
    records in a short time, or using break-the-glass access. Open until reviewed."""

    class Kind(models.TextChoices):
        UNUSUAL_PERSON_ACCESS = "unusual_person_access", _("unusually many person records")
        BREAK_GLASS = "break_glass", _("break-the-glass access")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_alerts",
        verbose_name=_("user"),
    )
    entry = models.ForeignKey(
        AuditEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("audit entry that raised it"),
    )
    created_at = models.DateTimeField(_("raised at"), default=timezone.now, db_index=True)
    entry_count = models.PositiveIntegerField(_("person records"), default=0)
    window_minutes = models.PositiveIntegerField(_("within minutes"), default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [models.Index(fields=["actor", "kind", "reviewed_at"])]

    def __str__(self) -> str:
        return f"alert {self.pk} {self.kind} of user {self.actor_id}"

    @property
    def is_open(self) -> bool:
        return self.reviewed_at is None
