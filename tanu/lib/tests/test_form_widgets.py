"""Every form of the project, in every language: ISO dates in date inputs, worded empty choices.

The forms are found, not listed: every ``tanu.*.forms`` module and every module the URLs load is
imported, and every form class defined in tanu is checked. A form whose constructor needs
keyword arguments gets them from ``KWARGS_BY_NAME`` (or ``KWARGS_BY_FORM``); a new one fails here
until it is added, so that no form escapes the check.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.utils import timezone, translation

import tanu
from tanu.accounts.models import Region
from tanu.accounts.tests.personas import Personas
from tanu.monitoring.tests.helpers import plan
from tanu.monitoring.tests.helpers import signed_in as monitoring_client
from tanu.training.tests.helpers import make_seminar
from tanu.training.tests.helpers import signed_in as training_client

LANGUAGES = [code for code, _name in settings.LANGUAGES]
DAY = date(2026, 1, 15)
MOMENT = datetime(2026, 1, 15, 9, 30)

# Constructor arguments by name, for the forms that need them (built inside a test, on the db).
KWARGS_BY_NAME: dict[str, Callable[[Personas], Any]] = {
    "services": lambda p: _model("referrals.Service").objects.all(),
    "consents": lambda p: _model("cases.Consent").objects.all(),
    "region_id": lambda p: _almaty().pk,
    "region": lambda p: _almaty(),
    "user": lambda p: p.monitor,
    "participants": lambda p: [],
    "codes": lambda p: ["AL-DR-01"],
    "seminars": lambda p: _model("training.Seminar").objects.all(),
    "scope": lambda p: _scope(p),
    "regions": lambda p: list(Region.objects.all()),
    "proceeding": lambda p: _proceeding(p),
}
KWARGS_BY_FORM: dict[str, dict[str, Callable[[Personas], Any]]] = {
    "tanu.training.forms.SurveyForm": {"kind": lambda p: _survey_kind()},
}


def _model(label: str) -> Any:
    from django.apps import apps

    return apps.get_model(label)


def _proceeding(personas: Personas) -> Any:
    from tanu.proceedings.tests.helpers import investigator, referred_case, register

    officer = investigator(personas, "form_widgets_investigator")
    return register(referred_case(personas, officer), officer)


def _almaty() -> Region:
    return Region.objects.get(code="KZ-75")


def _scope(personas: Personas) -> Any:
    from tanu.reports.access import stats_scope

    return stats_scope(personas.coordinator)


def _survey_kind() -> str:
    from tanu.training.surveys import QUESTIONS

    return next(iter(QUESTIONS))


def _import_form_modules() -> None:
    importlib.import_module(settings.ROOT_URLCONF)  # every view, and the forms it uses
    for app in pkgutil.iter_modules(tanu.__path__):
        if not app.ispkg:
            continue
        try:
            importlib.import_module(f"tanu.{app.name}.forms")
        except ModuleNotFoundError as exc:
            if exc.name != f"tanu.{app.name}.forms":
                raise


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def form_classes() -> list[type[forms.BaseForm]]:
    _import_form_modules()
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("tanu.")
        and ".tests" not in cls.__module__
        and cls.__module__ != "tanu.lib.forms"
        and not (issubclass(cls, forms.BaseModelForm) and cls._meta.model is None)
    }
    return sorted(found, key=_name)


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _kwargs(cls: type[forms.BaseForm], personas: Personas) -> dict[str, Any]:
    import inspect

    needed: dict[str, Any] = {}
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass.__module__.startswith("django."):
            continue
        for position, param in enumerate(inspect.signature(init).parameters.values()):
            if position == 0 or param.default is not param.empty:
                continue
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            if param.name == "data":  # an unbound form
                needed["data"] = None
                continue
            maker = KWARGS_BY_FORM.get(_name(cls), {}).get(param.name) or KWARGS_BY_NAME.get(
                param.name
            )
            if maker is None:
                pytest.fail(
                    f"{_name(cls)} needs the argument {param.name!r}: add it to KWARGS_BY_NAME "
                    "or KWARGS_BY_FORM in this test."
                )
            needed[param.name] = maker(personas)
    return needed


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}
        self.empty_options: list[str] = []
        self._in_empty_option = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("name"):
            self.inputs[str(values["name"])] = values
        if tag == "option" and values.get("value") == "":
            self._in_empty_option = True
            self.empty_options.append("")

    def handle_data(self, data: str) -> None:
        if self._in_empty_option:
            self.empty_options[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self._in_empty_option = False


def _parse(html: str) -> _Inputs:
    parser = _Inputs()
    parser.feed(html)
    return parser


def _date_fields(form: forms.BaseForm) -> dict[str, forms.Field]:
    return {
        name: field
        for name, field in form.fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField)
    }


def _check_date_inputs(cls: type[forms.BaseForm], kwargs: dict[str, Any], lang: str) -> int:
    """Render the form with every date pre-filled; each input must carry the ISO value, and
    the ISO value must be read back. Returns the number of date inputs checked."""
    fields = _date_fields(cls(**kwargs))
    if not fields:
        return 0
    initial = {
        name: (timezone.make_aware(MOMENT) if isinstance(field, forms.DateTimeField) else DAY)
        for name, field in fields.items()
    }
    with translation.override(lang):
        form = cls(initial=initial, **kwargs)
        inputs = _parse(str(form)).inputs
        for name, field in fields.items():
            rendered = inputs.get(form.add_prefix(name))
            assert rendered is not None, f"{_name(cls)}.{name} is not rendered"
            if isinstance(field, forms.DateTimeField):
                expected = ("datetime-local", "2026-01-15T09:30")
            else:
                expected = ("date", "2026-01-15")
            assert (rendered.get("type"), rendered.get("value")) == expected, (
                f"{_name(cls)}.{name} in {lang}: {rendered}"
            )
            assert str(field.clean(expected[1]))[:10] == "2026-01-15", "the value is read back"
    return len(fields)


def test_every_date_input_of_every_form_carries_an_iso_value_in_every_language(
    personas: Personas,
) -> None:
    with_dates = set()
    for cls in form_classes():
        kwargs = _kwargs(cls, personas)
        for lang in LANGUAGES:
            if _check_date_inputs(cls, kwargs, lang):
                with_dates.add(cls.__qualname__)
    # The check found the forms of the issue (and so did not pass by finding nothing).
    assert {
        "ScreeningContextForm",
        "ServiceRecordForm",
        "VisitReportForm",
        "VisitPlanForm",
        "SeminarForm",
        "SessionForm",
        "PersonForm",
    } <= with_dates


def test_the_seminar_and_visit_plan_edit_pages_show_their_dates_in_russian_and_kazakh(
    personas: Personas,
) -> None:
    seminar = make_seminar(personas.trainer)
    visit = plan(personas, on=DAY)
    for lang in ("ru", "kk"):
        page = training_client("trainer", lang).get(f"/training/seminars/{seminar.pk}/edit/")
        assert page.status_code == 200
        inputs = _parse(page.content.decode()).inputs
        assert inputs["starts_on"]["value"] == seminar.starts_on.isoformat()
        assert inputs["ends_on"]["value"] == seminar.ends_on.isoformat()
        page = monitoring_client("monitor", lang).get(f"/monitoring/visits/{visit.pk}/plan/")
        assert page.status_code == 200
        assert _parse(page.content.decode()).inputs["planned_on"]["value"] == "2026-01-15"


def test_no_form_offers_an_empty_choice_without_words_in_any_language(
    personas: Personas,
) -> None:
    wordless = []
    for cls in form_classes():
        kwargs = _kwargs(cls, personas)
        for lang in LANGUAGES:
            with translation.override(lang):
                html = str(cls(**kwargs))
            if "---------" in html:
                wordless.append(f"{_name(cls)} in {lang}: ---------")
            for label in _parse(html).empty_options:
                if not re.search(r"\w", label):
                    wordless.append(f"{_name(cls)} in {lang}: {label!r}")
    assert wordless == [], "\n".join(wordless)


def test_the_empty_choice_prompt_is_worded(personas: Personas) -> None:
    from tanu.referrals.forms import ReferralForm

    form = ReferralForm(**_kwargs(ReferralForm, personas))
    assert _parse(str(form["service"])).empty_options == ["— choose —"]
