"""Seminars, participants and attendance; the question bank; tests (pre, post, delayed retest)
with their attempts; scenario exercises; surveys; certificates.

Participants' names and positions are personal data: encrypted field by field
(:class:`tanu.lib.crypto.EncryptedTextField`), looked up only through keyed hashes. A
participant has no account: a personal code (printed on their slip, also as a QR code) proves who
they are on their phone, and only a keyed hash of it is searchable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tanu.lib.crypto import EncryptedTextField

LANGUAGE_CHOICES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]


def current_language() -> str:
    lang = (get_language() or "ru")[:2]
    return lang if lang in ("kk", "ru", "en") else "ru"


def in_language(obj: object, stem: str, lang: str | None = None) -> str:
    """``obj.<stem>_<lang>``, falling back to Russian, then English."""
    lang = lang or current_language()
    for candidate in (lang, "ru", "en", "kk"):
        value = getattr(obj, f"{stem}_{candidate}", "")
        if value:
            return str(value)
    return ""


class ParticipantRole(models.TextChoices):
    ADMINISTRATIVE_POLICE = "administrative_police", _("administrative police")
    CRIMINAL_POLICE = "criminal_police", _("criminal police")
    MIGRATION_SERVICE = "migration_service", _("migration service")
    REHAB_CENTRE = "rehab_centre", _("rehabilitation-centre specialist")
    JUVENILE_CENTRE = "juvenile_centre", _("juvenile-centre specialist")
    SOCIAL_SERVICES = "social_services", _("social services")
    PROSECUTOR = "prosecutor", _("prosecutor's office")
    NGO = "ngo", _("non-governmental organisation")
    OTHER = "other", _("other")


class Objective(models.TextChoices):
    """Learning objectives that questions are tagged with."""

    RECOGNISE = "recognise", _("recognise indicators of trafficking")
    ILO_RULE = "ilo_rule", _("apply the ILO rule and outcomes")
    DISTINGUISH = "distinguish", _("tell trafficking from smuggling and labour disputes")
    INTERVIEW = "interview", _("talk to a possible victim safely")
    CHILDREN = "children", _("children: presumption of age, best interests")
    DATA = "data", _("protect personal data")
    REFER = "refer", _("refer to the right service")
    LAW = "law", _("know the legal framework")


class Seminar(models.Model):
    region = models.ForeignKey(
        "accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    city_kk = models.CharField(_("city (Kazakh)"), max_length=80)
    city_ru = models.CharField(_("city (Russian)"), max_length=80)
    city_en = models.CharField(_("city (English)"), max_length=80)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    language = models.CharField(
        _("working language"), max_length=2, choices=LANGUAGE_CHOICES, default="ru"
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="training_seminars", verbose_name=_("trainers")
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark of the post-test (percent)"), default=70
    )
    min_attendance = models.PositiveSmallIntegerField(
        _("attendance needed for a certificate (percent of sessions)"), default=80
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")

    def __str__(self) -> str:
        # In the reader's language and date format («Туркестан 03.03.2026»).
        return f"{self.city} {formats.date_format(self.starts_on, 'SHORT_DATE_FORMAT')}"

    @property
    def city(self) -> str:
        return in_language(self, "city")

    def city_in(self, lang: str) -> str:
        return in_language(self, "city", lang)


#: A seminar's own fields: what its form, the API and the named actions read and write.
SEMINAR_FIELDS = (
    "region",
    "city_kk",
    "city_ru",
    "city_en",
    "starts_on",
    "ends_on",
    "language",
    "pass_mark",
    "min_attendance",
)


class AgendaSession(models.Model):
    """One session of a seminar's agenda; attendance is recorded per session."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    title = models.CharField(_("topic"), max_length=200)

    class Meta:
        ordering = ["day", "starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.day} {self.starts_at} {self.title}"


class Participant(models.Model):
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="participants")
    full_name = EncryptedTextField(_("full name"))
    name_index = models.CharField(max_length=64, db_index=True)
    role = models.CharField(_("role"), max_length=32, choices=ParticipantRole.choices)
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency on tanu"),
    )
    agency_name = models.CharField(_("agency (if not on tanu)"), max_length=200, blank=True)
    position = EncryptedTextField(_("position"), blank=True, default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_participations",
        verbose_name=_("tanu account, if any"),
    )
    code = EncryptedTextField()  # the personal code, shown to the trainer for the slips
    code_index = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"participant {self.pk}"

    @property
    def agency_label(self) -> str:
        return self.agency.name if self.agency_id and self.agency else self.agency_name


class Attendance(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance"
    )
    session = models.ForeignKey(AgendaSession, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "session"], name="unique_attendance_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"attendance {self.participant_id}/{self.session_id}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        TRUE_FALSE = "true_false", _("true or false")
        MATCHING = "matching", _("matching")

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    text_kk = models.TextField(_("question (Kazakh)"))
    text_ru = models.TextField(_("question (Russian)"))
    text_en = models.TextField(_("question (English)"))
    explanation_kk = models.TextField(_("explanation (Kazakh)"), blank=True)
    explanation_ru = models.TextField(_("explanation (Russian)"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    objectives = models.JSONField(_("learning objectives"), default=list, blank=True)
    dimensions = models.JSONField(_("indicator dimensions"), default=list, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"Q{self.pk}"

    @property
    def text(self) -> str:
        return in_language(self, "text")

    @property
    def explanation(self) -> str:
        return in_language(self, "explanation")


class Option(models.Model):
    """An answer option. For a matching question each option is one pair: ``text`` on the left,
    ``match`` its partner on the right."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    text_kk = models.CharField(_("option (Kazakh)"), max_length=300)
    text_ru = models.CharField(_("option (Russian)"), max_length=300)
    text_en = models.CharField(_("option (English)"), max_length=300)
    match_kk = models.CharField(_("matches (Kazakh)"), max_length=300, blank=True)
    match_ru = models.CharField(_("matches (Russian)"), max_length=300, blank=True)
    match_en = models.CharField(_("matches (English)"), max_length=300, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"option {self.pk}"

    @property
    def text(self) -> str:
        return in_language(self, "text")

    @property
    def match(self) -> str:
        return in_language(self, "match")


#: An option's own fields: what the question form, the API and the named actions read and write.
OPTION_FIELDS = ("text_kk", "text_ru", "text_en", "match_kk", "match_ru", "match_en", "is_correct")


class KnowledgeTest(models.Model):
    """A seminar's pre-test, post-test or delayed retest: a random draw from the bank per
    participant, with shuffled options and a time limit, opened by a short code."""

    class Kind(models.TextChoices):
        PRE = "pre", _("pre-test")
        POST = "post", _("post-test")
        RETEST = "retest", _("delayed retest")

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="tests")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    code = models.CharField(_("access code"), max_length=16, unique=True)
    question_count = models.PositiveSmallIntegerField(_("number of questions"), default=15)
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), default=20)
    objectives = models.JSONField(_("learning objectives"), default=list, blank=True)
    is_open = models.BooleanField(_("open for participants"), default=False)
    anonymous = models.BooleanField(
        _("anonymous participation"),
        default=False,
        help_text=_(
            "Participants take the test without their personal code. Their answers count in "
            "the item analysis, but not in anybody's results or certificate."
        ),
    )
    closed_at = models.DateTimeField(null=True, blank=True)  # last closed after being open
    key_released_at = models.DateTimeField(null=True, blank=True)  # pre-test: key shown
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seminar", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "kind"], name="one_test_of_a_kind")
        ]
        verbose_name = _("test")
        verbose_name_plural = _("tests")

    def __str__(self) -> str:
        return f"{self.kind} test {self.pk}"

    def key_is_visible(self) -> bool:
        """Whether participants see the right answers and explanations after submitting. The
        post-test and the retest draw on the same bank as the pre-test, so the pre-test's key
        stays hidden until the trainer releases it or the seminar's post-test has ended."""
        if self.kind != self.Kind.PRE or self.key_released_at is not None:
            return True
        post = KnowledgeTest.objects.filter(seminar_id=self.seminar_id, kind=self.Kind.POST)
        return post.filter(is_open=False, closed_at__isnull=False).exists()


class Attempt(models.Model):
    """One participant's attempt at a test; in an anonymous test ``participant`` is empty and
    the attempt is found again only through the browser session that started it."""

    test = models.ForeignKey(KnowledgeTest, on_delete=models.CASCADE, related_name="attempts")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="attempts"
    )
    language = models.CharField(max_length=2, default="ru")
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)  # percent, 0..100

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["test", "participant"], name="one_attempt_per_test")
        ]

    def __str__(self) -> str:
        return f"attempt {self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class AttemptItem(models.Model):
    """One drawn question in an attempt, with its shuffled option order and the answer so far.

    ``response``: a list of chosen option ids (single, true/false, multiple choice) or, for
    matching, ``{left option id: chosen right option id}`` (keys as strings)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    order = models.JSONField(default=list)  # option ids, in display order
    match_order = models.JSONField(default=list, blank=True)  # matching: right side order
    response = models.JSONField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)  # 0..1, set on submission
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="unique_item_position")
        ]

    def __str__(self) -> str:
        return f"item {self.pk}"


class ExerciseAttempt(models.Model):
    """A trainee's screening of a fictional scenario, scored against the expert key."""

    scenario = models.CharField(max_length=60, db_index=True)
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exercise_attempts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    observed = models.JSONField(default=list)
    outcome = models.CharField(max_length=20)
    referrals = models.JSONField(default=list)
    precision = models.FloatField()
    recall = models.FloatField()
    f1 = models.FloatField()
    outcome_correct = models.BooleanField()
    referral_score = models.FloatField()
    score = models.FloatField()  # percent, 0..100
    missed = models.JSONField(default=list)
    extra = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"exercise attempt {self.pk}"


class SurveyResponse(models.Model):
    class Kind(models.TextChoices):
        REACTION = "reaction", _("reaction survey after the seminar")
        FOLLOW_UP = "follow_up", _("follow-up survey months later")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="survey_responses"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    answers = models.JSONField(default=dict)  # ratings and counts, never free text
    comment = EncryptedTextField(blank=True, default="")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "kind"], name="one_survey_of_a_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} survey {self.pk}"


class Certificate(models.Model):
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(max_length=16, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"certificate {self.pk}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
