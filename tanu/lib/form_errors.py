"""The error summary every form with an error shows (template tag ``{% error_summary %}``).

A reloaded page whose only change is a message under a field far below the fold looks unchanged
on a phone. So every bound form with errors gets a summary: a heading, then each error as a link
to its field (``href="#id_field"``), non-field errors first, as plain text. It carries
``data-error-summary`` and ``tabindex="-1"``: tanu.js focuses it when the page loads and after
an htmx swap, so the browser scrolls it into view and a screen reader reads it.

**Once, centrally.** ``base.html`` calls ``{% error_summary %}`` at the top of ``<main>``: the tag
looks through the page's context for bound forms with errors, so every full page gets its
summary without each template asking. A form that htmx swaps in place (``_form.html``) calls
``{% error_summary form %}`` inside the form; when the same form was already summarised at the
top of the page, it is not summarised twice.

**Small forms inside a page** (a note, a consent, declining a referral) are sent by htmx
(``_form.html``: ``hx-post``, ``hx-target="this"``): on an error the view answers the form alone,
re-rendered with what was typed, with status 400 (:func:`form_with_errors`); tanu.js lets htmx
swap a 400 answer of such a form (``data-swap-on-error``), and only of such a form. On success the
view answers :func:`after_post`: a full redirect (``HX-Redirect`` for htmx), so the page shows the
new state and its message. Without JavaScript the form posts as usual and the view redirects with
a message, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.formsets import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.context import Context
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django_htmx.http import HttpResponseClientRedirect

register = template.Library()

_DONE = "_tanu_error_summary_shown"


def field_anchor(bound: forms.BoundField) -> str:
    """The id of the element a link to the field should reach: the input itself, or the first
    box of a group of radio buttons or check boxes (their wrapper is not focusable)."""
    widget = bound.field.widget
    auto_id = bound.auto_id
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple) and auto_id:
        return f"{auto_id}_0"
    return bound.id_for_label or auto_id or bound.html_name


def error_items(form: forms.BaseForm) -> list[dict[str, str]]:
    """Each error of the form as ``{"href": "#id", "text": "label: message"}`` (``href`` is
    empty for an error of the whole form)."""
    items = [{"href": "", "text": str(error)} for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            continue
        if name in form.fields:
            bound = form[name]
            label = capfirst(str(bound.label or name))
            href = f"#{field_anchor(bound)}"
        else:
            label, href = capfirst(name), ""
        items.extend({"href": href, "text": f"{label}: {error}"} for error in errors)
    return items


def _forms_in(value: Any) -> Iterator[forms.BaseForm]:
    if isinstance(value, forms.BaseForm):
        yield value
    elif isinstance(value, BaseFormSet):
        yield from value.forms


def _render(context: Context, form: forms.BaseForm) -> str:
    # Marked on the form: an included template does not share the render context.
    if getattr(form, _DONE, False) or not form.is_bound or not form.errors:
        return ""
    setattr(form, _DONE, True)
    heading_id = "-".join(filter(None, ["errors", type(form).__name__.lower(), form.prefix]))
    template_ = context.template.engine.get_template("_form_errors.html")  # type: ignore[union-attr]
    with context.push(summary_items=error_items(form), summary_heading_id=heading_id):
        return template_.render(context)


@register.simple_tag(takes_context=True)
def error_summary(context: Context, form: forms.BaseForm | None = None) -> SafeString:
    """The summary of one form, or (without an argument) of every bound form on the page."""
    found = [form] if form is not None else []
    if form is None:
        seen: set[int] = set()
        for value in context.flatten().values():
            for candidate in _forms_in(value):
                if id(candidate) not in seen:
                    seen.add(id(candidate))
                    found.append(candidate)
    return SafeString("".join(_render(context, f) for f in found))


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def form_with_errors(
    request: HttpRequest, form: forms.BaseForm, *, action: str, submit: str, form_id: str
) -> HttpResponse:
    """The small form alone, with what was typed and its errors, for htmx to swap in place."""
    return render(
        request,
        "_form.html",
        {"form": form, "action": action, "submit": submit, "form_id": form_id},
        status=400,
    )


def after_post(request: HttpRequest, url: str) -> HttpResponse:
    """Back to the page: a redirect, which htmx follows as a whole page (HX-Redirect)."""
    if is_htmx(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)
