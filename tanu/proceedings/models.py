"""Criminal proceedings about a presumed victim's case: from registration in the Unified Register
of Pre-trial Investigations (ЕРДР) to the verdict.

tanu is not a criminal intelligence system: suspects and accused are counted (role, sex,
citizenship), never named, and the person appears only through the case number and their
procedural status. See tanu.proceedings.access for who sees what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tanu.accounts.models import TrilingualName


class Article(TrilingualName):
    """An article of the Criminal Code (e.g. 128, trafficking in persons), kept by the
    administrators in kk, ru and en."""

    number = models.CharField(_("article"), max_length=16, unique=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Criminal Code article")
        verbose_name_plural = _("Criminal Code articles")

    def __str__(self) -> str:
        return f"{self.number}: {self.name}"


class Proceeding(models.Model):
    class Stage(models.TextChoices):
        PRE_TRIAL = "pre_trial", _("pre-trial investigation")
        SENT_TO_COURT = "sent_to_court", _("sent to court")
        TRIAL = "trial", _("trial")
        VERDICT = "verdict", pgettext_lazy("stage of proceedings", "verdict")
        APPEAL = "appeal", _("appeal")
        CLOSED = "closed", pgettext_lazy("stage of proceedings", "closed")

    class ClosingReason(models.TextChoices):
        VERDICT_IN_FORCE = "verdict_in_force", _("the verdict came into force")
        NO_EVENT = "no_event", _("no criminal event")
        NO_CORPUS = "no_corpus", _("no corpus delicti")
        REQUALIFIED = "requalified", _("re-qualified under another article")
        SUSPECT_DIED = "suspect_died", _("the suspect died")
        LIMITATION = "limitation", _("limitation period expired")
        AMNESTY = "amnesty", _("amnesty")
        JOINED = "joined", _("joined to another proceeding")
        OTHER = "other", _("other")

    class Verdict(models.TextChoices):
        CONVICTED = "convicted", _("convicted")
        ACQUITTED = "acquitted", _("acquitted")
        CASE_CLOSED = "case_closed", _("case closed by the court")

    class PersonStatus(models.TextChoices):
        # Translators: glossary_exempt: victim. The status in criminal procedure: here, and only
        # here, «жәбірленуші» / «потерпевший» is right (docs/glossary.md).
        VICTIM = "victim", pgettext_lazy("procedural status", "victim (injured party)")
        WITNESS = "witness", _("witness")
        NONE = "none", _("no procedural status")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="proceedings", verbose_name=_("case")
    )
    erdr_number = models.CharField(_("ЕРДР registration number"), max_length=20)
    registered_on = models.DateField(_("date registered"))
    investigating_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("investigating body"),
    )
    articles = models.ManyToManyField(
        Article, related_name="proceedings", verbose_name=_("Criminal Code articles")
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.PRE_TRIAL
    )
    sent_to_court_on = models.DateField(_("sent to court on"), null=True, blank=True)
    trial_started_on = models.DateField(_("trial started on"), null=True, blank=True)
    verdict_on = models.DateField(_("verdict on"), null=True, blank=True)
    appeal_on = models.DateField(_("appeal filed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    verdict = models.CharField(
        pgettext_lazy("court decision", "verdict"),
        max_length=16,
        choices=Verdict.choices,
        blank=True,
    )
    sentence_months = models.PositiveIntegerField(_("sentence (months)"), null=True, blank=True)
    compensation_claimed = models.PositiveBigIntegerField(
        _("compensation claimed (tenge)"), null=True, blank=True
    )
    compensation_awarded = models.PositiveBigIntegerField(
        _("compensation awarded (tenge)"), null=True, blank=True
    )
    compensation_paid = models.PositiveBigIntegerField(
        _("compensation paid (tenge)"), null=True, blank=True
    )
    person_status = models.CharField(
        _("the person's procedural status"),
        max_length=10,
        choices=PersonStatus.choices,
        default=PersonStatus.VICTIM,
    )
    cooperates = models.BooleanField(_("the person agreed to cooperate"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-registered_on", "-pk"]
        verbose_name = _("criminal proceeding")
        verbose_name_plural = _("criminal proceedings")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "erdr_number"], name="proceeding_once_per_case"
            ),
        ]
        indexes = [
            models.Index(fields=["investigating_agency", "-registered_on"], name="proc_agency_idx"),
        ]

    def __str__(self) -> str:
        return self.erdr_number


class SuspectCount(models.Model):
    """How many suspects or accused of one role, sex and citizenship: never who they are."""

    class Standing(models.TextChoices):
        SUSPECT = "suspect", _("suspect")
        ACCUSED = "accused", _("accused")

    class Role(models.TextChoices):
        RECRUITER = "recruiter", _("recruiter")
        TRANSPORTER = "transporter", _("transporter")
        EXPLOITER = "exploiter", _("exploiter")
        ORGANISER = "organiser", _("organiser")
        OTHER = "other", _("other")

    class Sex(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="suspects")
    standing = models.CharField(_("standing"), max_length=8, choices=Standing.choices)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    citizenship = models.CharField(_("citizenship"), max_length=2)
    count = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        ordering = ["standing", "role", "sex", "citizenship"]
        constraints = [
            models.UniqueConstraint(
                fields=["proceeding", "standing", "role", "sex", "citizenship"],
                name="suspect_count_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.standing} {self.role}"


class ProtectionMeasure(models.Model):
    """A measure of state protection applied to the person (Law of the Republic of Kazakhstan on
    state protection of persons participating in criminal proceedings)."""

    class Kind(models.TextChoices):
        PERSONAL_GUARD = "personal_guard", _("personal protection")
        HOME_AND_PROPERTY = "home_and_property", _("protection of home and property")
        SAFE_PLACE = "safe_place", _("temporary move to a safe place")
        CONFIDENTIAL_DATA = "confidential_data", _("confidentiality of personal data")
        CLOSED_HEARING = "closed_hearing", _("hearing in closed session")
        REMOTE_TESTIMONY = "remote_testimony", _("testimony by video link")
        NEW_RESIDENCE = "new_residence", _("change of residence, work or study")
        NEW_DOCUMENTS = "new_documents", _("new identity documents")
        OTHER = "other", _("other")

    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.CASCADE, related_name="protection_measures"
    )
    kind = models.CharField(_("measure"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return self.kind


class Hearing(models.Model):
    """A court hearing. The case worker who accompanies the person sees its date and place only,
    and is reminded of it."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="hearings")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    note = models.TextField(_("note for investigators"), blank=True)
    reminded_on = models.DateField(null=True, blank=True)  # the day its reminder went out

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="hearing_starts_idx")]

    def __str__(self) -> str:
        return f"hearing {self.pk}"
