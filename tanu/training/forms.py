from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tanu.accounts.models import Agency, Region, Role, User
from tanu.identification.engine import DIMENSIONS, OUTCOMES
from tanu.lib.forms import DateInput, TanuForm, TanuModelForm, TimeInput
from tanu.referrals.models import Service
from tanu.training.models import (
    OPTION_FIELDS,
    SEMINAR_FIELDS,
    AgendaSession,
    AttemptItem,
    KnowledgeTest,
    Objective,
    Participant,
    ParticipantRole,
    Question,
    Seminar,
)
from tanu.training.surveys import QUESTIONS

DIMENSION_LABELS = {
    "deceptive_recruitment": _("Deceptive recruitment"),
    "coercive_recruitment": _("Coercive recruitment"),
    "recruitment_abuse_of_vulnerability": _("Recruitment by abuse of vulnerability"),
    "exploitative_conditions": _("Exploitative conditions"),
    "coercion_at_destination": _("Coercion at destination"),
    "destination_abuse_of_vulnerability": _("Abuse of vulnerability at destination"),
}
OUTCOME_LABELS = {
    "presumed_victim": _("Presumed victim: refer now"),
    "possible_victim": _("Possible victim: refer for further assessment"),
    "no_indication": _("No indication of trafficking"),
}


_MAX_PK = 2**63 - 1


def _pk_in_range(value: Any) -> bool:
    try:
        return 0 < int(str(value)) <= _MAX_PK
    except (TypeError, ValueError):
        return False


class SafeModelChoiceField(forms.ModelChoiceField):
    """Refuses ids no database could hold before asking the database (SQLite overflows)."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _pk_in_range(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        for item in values:
            if not _pk_in_range(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:20]},
                )
        return super().clean(value)


class TrainerChoice(SafeModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        agency = obj.agency.name if obj.agency_id else ""
        return f"{name} ({agency})" if agency else str(name)


class SeminarForm(TanuModelForm):
    region = SafeModelChoiceField(label=_("region"), queryset=Region.objects.all())
    trainers = TrainerChoice(
        label=_("trainers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Seminar
        fields = list(SEMINAR_FIELDS)
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trainers = self.fields["trainers"]
        assert isinstance(trainers, forms.ModelMultipleChoiceField)
        trainers.queryset = (
            User.objects.filter(role=Role.TRAINER, is_active=True)
            .select_related("agency")
            .order_by("username")
        )
        if self.instance.pk:
            self.fields["trainers"].initial = list(self.instance.trainers.all())
        self.fields["trainers"].help_text = _("You are always one of the trainers of your seminar.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        for name in ("pass_mark", "min_attendance"):
            value = data.get(name)
            if value is not None and value > 100:
                self.add_error(name, _("Enter a percentage from 0 to 100."))
        return data


class SessionForm(forms.ModelForm):
    class Meta:
        model = AgendaSession
        fields = ["day", "starts_at", "ends_at", "title"]
        widgets = {
            "day": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        return data


class ParticipantForm(TanuForm):
    full_name = forms.CharField(label=_("full name"), max_length=200)
    role = forms.ChoiceField(label=_("role"), choices=ParticipantRole.choices)
    agency = SafeModelChoiceField(
        label=_("agency on tanu"), queryset=Agency.objects.none(), required=False
    )
    agency_name = forms.CharField(
        label=_("agency (if not on tanu)"), max_length=200, required=False
    )
    position = forms.CharField(label=_("position"), max_length=200, required=False)
    username = forms.CharField(
        label=_("tanu user name, if the participant has an account"),
        max_length=150,
        required=False,
        help_text=_("Links the participant to their account, so they see their own results."),
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(region=region, is_active=True)

    def clean_full_name(self) -> str:
        value = " ".join(self.cleaned_data["full_name"].split())
        if not value:
            raise forms.ValidationError(_("Enter the participant's name."))
        return value

    def clean_username(self) -> User | None:
        name = self.cleaned_data.get("username", "").strip()
        if not name:
            return None
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no active account with this user name."))
        return user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("agency") and not data.get("agency_name"):
            self.add_error("agency_name", _("Choose the agency or type its name."))
        return data

    def participant_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["user"] = data.pop("username", None)
        return data

    @staticmethod
    def initial_for(participant: Participant) -> dict[str, Any]:
        return {
            "full_name": participant.full_name,
            "role": participant.role,
            "agency": participant.agency_id,
            "agency_name": participant.agency_name,
            "position": participant.position,
            "username": participant.user.username
            if participant.user_id and participant.user
            else "",
        }


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=pgettext_lazy("attended the session", "present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, participants: Iterable[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        present = self.fields["present"]
        assert isinstance(present, forms.MultipleChoiceField)
        present.choices = [(str(p.pk), p.full_name) for p in participants]

    def present_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["present"]]


class KnowledgeTestForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=KnowledgeTest.Kind.choices)
    question_count = forms.IntegerField(
        label=_("number of questions"), min_value=1, max_value=100, initial=15
    )
    time_limit_minutes = forms.IntegerField(
        label=_("time limit (minutes)"), min_value=1, max_value=240, initial=20
    )
    objectives = forms.MultipleChoiceField(
        label=_("only questions on these learning objectives"),
        choices=Objective.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to draw from the whole bank."),
    )
    anonymous = forms.BooleanField(
        label=_("anonymous: participants take it without their personal code"),
        required=False,
        help_text=_(
            "Anonymous answers count in the item analysis, but not in anybody's results or "
            "certificate."
        ),
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("type"), choices=Question.Kind.choices)
    text_kk = forms.CharField(label=_("question (Kazakh)"), widget=forms.Textarea, max_length=2000)
    text_ru = forms.CharField(label=_("question (Russian)"), widget=forms.Textarea, max_length=2000)
    text_en = forms.CharField(label=_("question (English)"), widget=forms.Textarea, max_length=2000)
    explanation_kk = forms.CharField(
        label=_("explanation (Kazakh)"), widget=forms.Textarea, max_length=3000, required=False
    )
    explanation_ru = forms.CharField(
        label=_("explanation (Russian)"), widget=forms.Textarea, max_length=3000, required=False
    )
    explanation_en = forms.CharField(
        label=_("explanation (English)"), widget=forms.Textarea, max_length=3000, required=False
    )
    objectives = forms.MultipleChoiceField(
        label=_("learning objectives"),
        choices=Objective.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    dimensions = forms.MultipleChoiceField(
        label=_("indicator dimensions"),
        choices=[(d, DIMENSION_LABELS[d]) for d in DIMENSIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_active = forms.BooleanField(label=_("in use"), required=False, initial=True)

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        return {
            "kind": question.kind,
            **{
                f"{stem}_{lang}": getattr(question, f"{stem}_{lang}")
                for stem in ("text", "explanation")
                for lang in ("kk", "ru", "en")
            },
            "objectives": question.objectives,
            "dimensions": question.dimensions,
            "is_active": question.is_active,
        }


class OptionForm(forms.Form):
    text_kk = forms.CharField(label=_("option (Kazakh)"), max_length=300, required=False)
    text_ru = forms.CharField(label=_("option (Russian)"), max_length=300, required=False)
    text_en = forms.CharField(label=_("option (English)"), max_length=300, required=False)
    match_kk = forms.CharField(label=_("matches (Kazakh)"), max_length=300, required=False)
    match_ru = forms.CharField(label=_("matches (Russian)"), max_length=300, required=False)
    match_en = forms.CharField(label=_("matches (English)"), max_length=300, required=False)
    is_correct = forms.BooleanField(label=_("correct"), required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(f"text_{lang}") for lang in ("kk", "ru", "en"))


OptionFormSet = forms.formset_factory(OptionForm, extra=0, min_num=0, max_num=8, absolute_max=8)

MAX_OPTIONS = 8


def option_initial(question: Question | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if question is not None:
        for option in question.options.all():
            rows.append({key: getattr(option, key) for key in OPTION_FIELDS})
    while len(rows) < 6:
        rows.append({})
    return rows[:MAX_OPTIONS]


def check_options(kind: str, options: list[dict[str, Any]]) -> list[str]:
    """What is wrong with the options for the question type (an empty list when fine)."""
    problems: list[str] = []
    for number, option in enumerate(options, 1):
        if not all(option.get(f"text_{lang}") for lang in ("kk", "ru", "en")):
            problems.append(
                str(_("Option %(n)s needs its text in all three languages.") % {"n": number})
            )
    correct = sum(1 for o in options if o.get("is_correct"))
    if kind == Question.Kind.TRUE_FALSE:
        if len(options) != 2 or correct != 1:
            problems.append(
                str(_("A true/false question has exactly two options, one of them correct."))
            )
    elif kind == Question.Kind.SINGLE:
        if len(options) < 2 or correct != 1:
            problems.append(
                str(_("A single-choice question needs two or more options, exactly one correct."))
            )
    elif kind == Question.Kind.MULTIPLE:
        if len(options) < 2 or correct < 1:
            problems.append(
                str(
                    _("A multiple-choice question needs two or more options, at least one correct.")
                )
            )
    elif kind == Question.Kind.MATCHING:
        if len(options) < 2:
            problems.append(str(_("A matching question needs two or more pairs.")))
        for number, option in enumerate(options, 1):
            if not all(option.get(f"match_{lang}") for lang in ("kk", "ru", "en")):
                problems.append(
                    str(
                        _("Pair %(n)s needs its matching text in all three languages.")
                        % {"n": number}
                    )
                )
            option["is_correct"] = False
    return problems


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("your personal code"),
        max_length=40,
        help_text=_("It is on the slip you received at registration, e.g. ABCD-EFGH-JKMN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class TestCodeForm(forms.Form):
    code = forms.CharField(
        label=_("test code"),
        max_length=40,
        help_text=_("Your trainer shows it in the room, e.g. ABCD-EFGH."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
            }
        ),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("verification code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ExerciseForm(forms.Form):
    observed = forms.MultipleChoiceField(required=False)
    outcome = forms.ChoiceField(
        label=_("your conclusion"),
        choices=[(o, OUTCOME_LABELS[o]) for o in reversed(OUTCOMES)],
        widget=forms.RadioSelect,
    )
    referrals = forms.MultipleChoiceField(
        label=_("refer to"),
        choices=Service.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, codes: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        observed = self.fields["observed"]
        assert isinstance(observed, forms.MultipleChoiceField)
        observed.choices = [(c, c) for c in codes]


class SurveyForm(forms.Form):
    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for question in QUESTIONS[kind]:
            if question.kind == "rating":
                self.fields[question.key] = forms.TypedChoiceField(
                    label=question.label,
                    choices=[(str(n), str(n)) for n in range(1, 6)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    help_text=_("1 = not at all, 5 = fully"),
                )
            elif question.kind == "yes_no":
                self.fields[question.key] = forms.TypedChoiceField(
                    label=question.label,
                    choices=[("1", _("yes")), ("0", _("no"))],
                    coerce=int,
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[question.key] = forms.IntegerField(
                    label=question.label, min_value=0, max_value=1000
                )
        self.fields["comment"] = forms.CharField(
            label=_("anything else (what helped, what stood in the way)?"),
            widget=forms.Textarea,
            max_length=2000,
            required=False,
            help_text=_("Please do not write names of people or cases here."),
        )

    def answers(self) -> dict[str, int]:
        return {q.key: self.cleaned_data[q.key] for q in QUESTIONS[self.kind]}


class ResultsFilterForm(TanuForm):
    # A filter left empty means "all", and says so.
    seminar = SafeModelChoiceField(
        label=_("seminar"), queryset=Seminar.objects.none(), required=False, empty_label=_("all")
    )
    region = SafeModelChoiceField(
        label=_("region"), queryset=Region.objects.none(), required=False, empty_label=_("all")
    )
    role = forms.ChoiceField(
        label=_("role"), choices=[("", _("all")), *ParticipantRole.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("test"),
        choices=[("", _("all tests")), *KnowledgeTest.Kind.choices],
        required=False,
    )

    def __init__(self, *args: Any, seminars: QuerySet[Seminar], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seminar, region = self.fields["seminar"], self.fields["region"]
        assert isinstance(seminar, forms.ModelChoiceField)
        assert isinstance(region, forms.ModelChoiceField)
        seminar.queryset = seminars
        region.queryset = Region.objects.filter(pk__in=seminars.values("region_id"))

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


def parse_responses(post: Mapping[str, Any], items: Iterable[AttemptItem]) -> dict[int, Any]:
    """The answers in a form post, for the items it lists in ``item`` (so that an emptied set of
    checkboxes clears the answer). Field names: ``q<item>`` (one or more option ids) and, for
    matching, ``q<item>-<left option id>``."""
    getlist = getattr(post, "getlist", None)
    wanted: set[int] = set()
    for raw in getlist("item") if getlist else []:
        try:
            wanted.add(int(raw))
        except (TypeError, ValueError):
            continue
    responses: dict[int, Any] = {}
    for item in items:
        if item.pk not in wanted:
            continue
        name = f"q{item.pk}"
        if item.question.kind == Question.Kind.MATCHING:
            pairs = {}
            for left in item.order:
                value = post.get(f"{name}-{left}")
                if value:
                    pairs[str(left)] = value
            responses[item.pk] = pairs
        else:
            responses[item.pk] = list(getlist(name)) if getlist else []
    return responses
