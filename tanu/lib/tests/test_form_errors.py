"""The error summary (tanu.lib.form_errors): once, centrally, for every form with an error."""

from __future__ import annotations

import pytest
from django import forms
from django.template import engines
from django.test import RequestFactory

from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import signed_in
from tanu.lib.form_errors import error_items


class _Example(forms.Form):
    name = forms.CharField(label="name")
    answer = forms.ChoiceField(
        label="answer", choices=[("1", "yes"), ("0", "no")], widget=forms.RadioSelect
    )

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError("The whole form is wrong.")


def test_each_error_links_to_a_focusable_element_and_errors_of_the_whole_form_come_first() -> None:
    items = error_items(_Example(data={}))
    assert items[0] == {"href": "", "text": "The whole form is wrong."}
    assert {"href": "#id_name", "text": "Name: This field is required."} in items
    assert {"href": "#id_answer_0", "text": "Answer: This field is required."} in items


def test_a_form_swapped_in_place_is_summarised_once_even_inside_a_full_page() -> None:
    form = _Example(data={})
    template = engines["django"].from_string(
        "{% load form_errors %}{% error_summary %}"
        '{% include "_form.html" with form=form action="/x/" submit="Send" form_id="f" %}'
    )
    html = template.render({"form": form}, RequestFactory().get("/"))
    assert html.count("data-error-summary") == 1


@pytest.mark.django_db
def test_a_page_of_another_app_gets_the_summary_without_asking_for_it(
    personas: Personas,
) -> None:
    page = signed_in("screener").post("/cases/search/", {"name": "", "document": ""})
    html = page.content.decode()
    start = html.index("data-error-summary")
    assert start < html.index("<h1>")
    assert "Enter a name or a document number." in html[start : html.index("<h1>")]
