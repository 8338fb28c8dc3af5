"""Persons, case files, consent, notes, documents and anonymous notifications.

Everything that identifies a person is encrypted field by field (tanu.lib.crypto); search goes
through keyed hashes of normalised values (PersonIndex), never through plaintext."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanu.lib.crypto import EncryptedJSONField, EncryptedTextField


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("not known")


class AgeBand(models.TextChoices):
    UNDER_12 = "0-11", _("under 12")
    AGE_12_17 = "12-17", _("12 to 17")
    AGE_18_24 = "18-24", _("18 to 24")
    AGE_25_34 = "25-34", _("25 to 34")
    AGE_35_49 = "35-49", _("35 to 49")
    AGE_50_PLUS = "50+", _("50 or older")
    UNKNOWN = "unknown", _("not known")


def age_band(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN
    for band, upper in (("0-11", 11), ("12-17", 17), ("18-24", 24), ("25-34", 34), ("35-49", 49)):
        if age <= upper:
            return band
    return AgeBand.AGE_50_PLUS


class Person(models.Model):
    """A presumed or possible victim. Identifying fields are encrypted; sex, citizenship and the
    age band stay in clear because statistics need them and they do not identify alone."""

    given_name = EncryptedTextField(_("given name"), blank=True, default="")
    family_name = EncryptedTextField(_("family name"), blank=True, default="")
    patronymic = EncryptedTextField(_("patronymic"), blank=True, default="")
    other_names = EncryptedTextField(_("other names and spellings"), blank=True, default="")
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True, default="")
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    citizenship = models.CharField(_("citizenship"), max_length=40, blank=True)
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    documents = EncryptedJSONField(_("identity documents"), default=list, blank=True)
    contacts = EncryptedJSONField(_("contacts"), default=list, blank=True)
    address = EncryptedTextField(_("address"), blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"person {self.pk}"

    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.given_name, self.patronymic) if p)

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth:
            try:
                born = date.fromisoformat(self.date_of_birth)
            except ValueError:
                return self.estimated_age
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        return self.estimated_age


#: The person's own fields, in the order the pages, the API and the person's export give them;
#: writes (tanu.cases.actions) change only these.
PERSON_FIELDS = (
    "family_name",
    "given_name",
    "patronymic",
    "other_names",
    "date_of_birth",
    "estimated_age",
    "sex",
    "citizenship",
    "languages",
    "documents",
    "contacts",
    "address",
)


class PersonIndex(models.Model):
    """Keyed hashes (blind indexes) of a person's normalised names and document numbers."""

    class Kind(models.TextChoices):
        NAME = "name", _("name")
        DOCUMENT = "document", _("document")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="index_entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "digest"]),
            # Person search looks digests up without their kind (tanu.cases.queries): with the
            # person, an index-only scan.
            models.Index(fields=["digest", "person"], name="person_index_digest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} index of person {self.person_id}"


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        REFERRED = "referred", _("referred")
        IN_ASSISTANCE = "in_assistance", _("in assistance")
        CLOSED = "closed", _("closed")

    class ClosureReason(models.TextChoices):
        ASSISTANCE_COMPLETED = "assistance_completed", _("assistance completed")
        PERSON_DECLINED = "person_declined", _("the person declined further assistance")
        NOT_TRAFFICKING = "not_trafficking", _("not a trafficking case")
        LOST_CONTACT = "lost_contact", _("contact lost")
        TRANSFERRED = "transferred", _("transferred to another region or country")
        OTHER = "other", _("other")

    number = models.CharField(_("case number"), max_length=32, unique=True)
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="case")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="cases")
    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+")
    # None for a case imported by the operator's command (tanu persons import).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    closure_reason = models.CharField(
        _("reason for closing"), max_length=24, choices=ClosureReason.choices, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, blank=True)  # of the screening that opened it
    form = models.CharField(max_length=10, blank=True)
    is_child = models.BooleanField(default=False)
    reflection_starts = models.DateField(null=True, blank=True)
    reflection_ends = models.DateField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["region", "status"]),
            # Case lists, newest first, of an agency and of a region (coordinators).
            models.Index(fields=["agency", "-created_at"], name="case_agency_recent_idx"),
            models.Index(fields=["region", "-created_at"], name="case_region_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def reflection_days_left(self, today: date | None = None) -> int | None:
        if self.reflection_ends is None:
            return None
        return (self.reflection_ends - (today or timezone.localdate())).days


# What a referral may share, field by field. The minimum is shared unless more is chosen, and a
# consent to a referral names the fields the person agreed to share (the minimum by default).
SHAREABLE_FIELDS = (
    "case_number",
    "sex",
    "age_band",
    "citizenship",
    "languages",
    "form",
    "outcome",
    "name",
    "date_of_birth",
    "documents",
    "contacts",
    "address",
)
MINIMUM_FIELDS = ("case_number", "sex", "age_band", "languages", "form", "outcome")
# The shared fields that identify the person: masked until revealed with a reason.
IDENTIFYING_FIELDS = ("name", "date_of_birth", "documents", "contacts", "address")
SHAREABLE_FIELD_LABELS = {
    "case_number": _("case number"),
    "sex": _("sex"),
    "age_band": _("age band"),
    "citizenship": _("citizenship"),
    "languages": _("languages"),
    "form": _("form of exploitation"),
    "outcome": _("screening outcome"),
    "name": _("name"),
    "date_of_birth": _("date of birth"),
    "documents": _("identity documents"),
    "contacts": _("contacts"),
    "address": _("address"),
}


def minimum_fields() -> list[str]:
    return list(MINIMUM_FIELDS)


class Consent(models.Model):
    class Purpose(models.TextChoices):
        ASSISTANCE = "assistance", _("assistance")
        REFERRAL = "referral", _("referral to a named service")
        LAW_ENFORCEMENT = "law_enforcement", _("sharing with law enforcement")
        STATISTICS = "statistics", _("statistics")

    class Basis(models.TextChoices):
        PERSON = "person", _("the person's own consent")
        GUARDIAN = "guardian", _("the guardian's consent (child)")
        BEST_INTERESTS = "best_interests", _("best-interests decision (child)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    service_name = models.CharField(_("named service"), max_length=200, blank=True)
    # What a consent to share covers: one service, or every service of one agency; and the fields.
    service = models.ForeignKey(
        "referrals.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service covered"),
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency covered"),
    )
    shared_fields = models.JSONField(
        _("information the person agreed to share"), default=minimum_fields, blank=True
    )
    given = models.BooleanField(_("consent given"), default=True)
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    guardian = EncryptedTextField(_("guardian (name and relation)"), blank=True, default="")
    best_interests_reason = EncryptedTextField(
        _("reason for the best-interests decision"), blank=True, default=""
    )
    language = models.CharField(_("language of the explanation"), max_length=10)
    interpreter_used = models.BooleanField(_("an interpreter was used"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.purpose} consent for case {self.case_id}"

    @property
    def is_active(self) -> bool:
        return self.given and self.withdrawn_at is None

    def covers_service(self, service_id: int, agency_id: int | None) -> bool:
        """True when the consent names this service, or the agency that runs it."""
        if self.service_id is not None and self.service_id == service_id:
            return True
        return self.agency_id is not None and self.agency_id == agency_id

    def covered_fields_display(self) -> str:
        """The fields a consent to share covers, by their labels ("" for other consents)."""
        if self.purpose not in (self.Purpose.REFERRAL, self.Purpose.LAW_ENFORCEMENT):
            return ""
        return ", ".join(
            str(SHAREABLE_FIELD_LABELS[name])
            for name in self.shared_fields or []
            if name in SHAREABLE_FIELD_LABELS
        )

    def fields_not_covered(self, fields: list[str]) -> list[str]:
        covered = {"case_number", *(self.shared_fields or [])}
        return [name for name in SHAREABLE_FIELDS if name in set(fields) - covered]


class Note(models.Model):
    """A note on a case. Visible only to the agency that wrote it (and its region's coordinator)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    # None for a register's note imported by the operator's command (tanu persons import).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    text = EncryptedTextField(_("note"))

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"note {self.pk} on case {self.case_id}"


class Document(models.Model):
    """An uploaded document, stored encrypted on disk; its title is encrypted in the database."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    title = EncryptedTextField(_("title"))
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    storage_name = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"document {self.pk} of case {self.case_id}"


class AnonymousNotification(models.Model):
    """When an adult declines a case: counted in statistics and nothing else."""

    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    citizenship = models.CharField(max_length=40, blank=True)
    form = models.CharField(max_length=10, blank=True)
    outcome = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return f"anonymous notification {self.pk}"


class DataRequest(models.Model):
    """A person's request to correct or erase their data, decided by the region's coordinator."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("correction")
        ERASURE = "erasure", _("erasure")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        APPROVED = "approved", _("approved and carried out")
        REJECTED = "rejected", _("rejected")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="data_requests")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    details = EncryptedTextField(_("what the person asks for"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} request {self.pk}"
