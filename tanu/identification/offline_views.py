"""The installable app: its manifest, its service worker, and the offline screening page with
the data it works from and the endpoint its queued screenings are sent to.

The page and its data are cached by the service worker (static/identification/sw.js, served at
the site's root so that its scope covers every page) once a screener has opened tanu online."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from tanu.accounts.models import User
from tanu.identification import actions, offline
from tanu.identification.access import can_screen
from tanu.identification.forms import FinaliseForm, ScreeningContextForm
from tanu.identification.models import Answer, Judgement

#: What the offline page needs besides itself and its data: its scripts, styles and icons.
OFFLINE_STATIC = (
    "tanu/tanu.css",
    "tanu/tanu.js",
    "tanu/menu.js",
    "tanu/vendor/htmx-2.0.11.min.js",
    "tanu/favicon.svg",
    "tanu/icon-192.png",
    "tanu/icon-512.png",
    "identification/rule.js",
    "identification/offline-store.js",
    "identification/offline.js",
    "identification/offline.css",
)
WORKBOX = "tanu/vendor/workbox-7.4.1"
CONTEXT_FIELDS = ("place", "interview_language", "interpreter_used", "age_group", "form")


def _screener(request: HttpRequest) -> User | None:
    user = request.user
    if isinstance(user, User) and user.is_authenticated and can_screen(user):
        return user
    return None


def _refused() -> JsonResponse:
    return JsonResponse(
        {"detail": _("Sign in to tanu again to send the screenings waiting on this phone.")},
        status=403,
    )


def _bare_not_found() -> HttpResponse:
    """A 404 without a template: no page, so no CSRF cookie (see offline_page)."""
    return HttpResponseNotFound(b"", content_type="text/plain")


def _is_navigation(request: HttpRequest) -> bool:
    """A person opening the page, not a script fetching it: the browser's fetch metadata says
    so; a browser that sends none (older Safari) asks a navigation for HTML, while the service
    worker's fetch accepts anything (*/*)."""
    dest = request.headers.get("Sec-Fetch-Dest")
    if dest is not None:
        return dest == "document"
    return "text/html" in request.headers.get("Accept", "")


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """Screening without a connection: no name, nothing personal; the assessment on the phone.

    Anyone but a signed-in screener is refused. A person who opens the page is sent to sign in,
    or gets the 404 page; the service worker precaching it (a fetch, not a navigation) gets a
    bare 404: the sign-in page or the 404 page would set a CSRF cookie that replaces the one of
    a sign-in form open beside it."""
    if _screener(request) is None:
        if not _is_navigation(request):
            return _bare_not_found()
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    context_form = ScreeningContextForm(auto_id="offline_%s")
    finalise_form = FinaliseForm(auto_id="offline_%s")
    stop_reason = finalise_form.fields["stop_reason"]
    assert isinstance(stop_reason, forms.ChoiceField)
    stop_reason.choices = [
        ("", _("Choose why the interview stopped")),
        *offline.OFFLINE_STOP_REASONS,
    ]
    texts = {
        "online": _("You are online."),
        "offline": _(
            "You are offline. Screenings are kept on this phone, encrypted, and sent when you "
            "are back online."
        ),
        "waiting": _("Waiting to be sent: %(count)s"),
        "saved": _("Saved on this phone. It will be sent when you are back online."),
        "sending": _("Sending…"),
        "sent": _("Sent: %(reference)s."),
        "sent_draft": _(
            "Sent as a draft: %(reference)s. The server needs more before it can be finalised: "
            "open it from your list."
        ),
        "agree": _("The server's assessment is the same as the phone's."),
        "differ": _(
            "The server's assessment differs from the phone's in %(what)s: the server's stands "
            "(phone: %(phone)s; server: %(server)s)."
        ),
        "failed": _("Not sent: %(reason)s The screening stays on this phone."),
        "not_signed_in": _("Sign in to tanu again to send the screenings waiting on this phone."),
        "no_data": _("The checklists are not on this phone yet: open this page once while online."),
        "no_storage": _(
            "This browser cannot keep encrypted screenings: use Chrome on Android, or screen "
            "online."
        ),
        "choose": _("Please answer: %(field)s"),
        "stop_needed": _(
            "Not enough was asked to rule anything out: ask the remaining questions, or say "
            "why the interview stopped."
        ),
        "positive": _("Positive dimensions: %(list)s"),
        "none_positive": _("No positive dimension."),
        "not_enough": _(
            "Not enough asked yet: %(strong)s strong indicators without an answer, %(dims)s "
            "dimensions without an answer."
        ),
        "versions": _("Checklist versions: %(list)s"),
        "outcomes": {
            "presumed_victim": _("Presumed victim"),
            "possible_victim": _("Possible victim"),
            "no_indication": _("No indication"),
            "incomplete": _("Incomplete: not enough asked"),
        },
        "answers": dict(Answer.choices),
        "strengths": {"strong": _("strong"), "medium": _("medium"), "weak": _("weak")},
        "judgements": dict(Judgement.choices),
    }
    data = {
        "lang": (get_language() or "ru")[:2],
        "checklists": reverse("offline:checklists"),
        "sync": reverse("offline:sync"),
        "texts": texts,
    }
    return render(
        request,
        "identification/offline.html",
        {
            "context_fields": [context_form[name] for name in CONTEXT_FIELDS],
            "judgement_field": finalise_form["judgement"],
            "stop_field": finalise_form["stop_reason"],
            "offline_data": data,
        },
    )


@login_required
@require_GET
def offline_checklists(request: HttpRequest) -> HttpResponse:
    """The checklist versions in force, for the phone to screen and assess with offline."""
    if _screener(request) is None:
        return _refused()
    return JsonResponse(offline.checklist_payload())


@require_http_methods(["GET", "POST"])
def offline_sync(request: HttpRequest) -> HttpResponse:
    """GET: a fresh CSRF token for the phone (the one in a cached page may be stale). POST: one
    screening done offline, as JSON; the server assesses it again and its result stands."""
    user = _screener(request)
    if user is None:
        return _refused()
    if request.method == "GET":
        return JsonResponse({"csrf": get_token(request)})
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return JsonResponse({"detail": _("The screening could not be read.")}, status=400)
    form = offline.OfflineScreeningForm(body)
    if not form.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(map(str, errs))}" for name, errs in form.errors.items()
        )
        return JsonResponse({"detail": problems}, status=400)
    data = form.cleaned_data
    try:
        screening, finalised = offline.do_receive_offline_screening(
            actor=user,
            client_id=data["client_id"],
            context={key: data[key] for key in (*CONTEXT_FIELDS, "screened_on")},
            answers=offline.clean_answers(body.get("answers")),
            judgement=data["judgement"],
            stop_reason=data["stop_reason"],
            device_result=offline.clean_device_result(body.get("device")),
            request=request,
        )
    except actions.ScreeningError as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    found = offline.differences(screening)
    return JsonResponse(
        {
            "reference": screening.reference,
            "url": reverse("identification:screening", args=[screening.pk]),
            "finalised": finalised,
            "outcome": screening.outcome,
            "device_outcome": (screening.device_result or {}).get("outcome"),
            "differences": [str(offline.DIFFERENCE_LABELS[key]) for key in found],
        }
    )


@lru_cache(maxsize=64)
def _file_revision(name: str) -> str:
    """A digest of a static file's content, from the source tree or the collected files."""
    path = finders.find(name)
    if path:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()[:16]
    with staticfiles_storage.open(name) as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:16]


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the root so that its scope is the whole site. Its text changes
    whenever what it caches changes (the checklist versions in force, the page's language, the
    static files), which is how a phone learns to fetch them again.

    Only a signed-in screener gets it. For anyone else the browser's update check fails and the
    installed worker stays as it is: a worker fetched without a session would precache a refusal
    page, whose CSRF cookie would replace the one of the sign-in form open beside it. The refusal
    is a bare 404 for the same reason: the 404 page carries a CSRF token."""
    if _screener(request) is None:
        return _bare_not_found()
    language = (get_language() or "ru")[:2]
    checklists = offline.payload_revision()
    page_revision = hashlib.sha256(
        "|".join([language, checklists, *map(_file_revision, OFFLINE_STATIC)]).encode()
    ).hexdigest()[:16]
    precache = [
        {"url": reverse("offline:page"), "revision": page_revision},
        {"url": reverse("offline:checklists"), "revision": checklists or "none"},
        {"url": reverse("manifest"), "revision": language},
        *({"url": static(name), "revision": _file_revision(name)} for name in OFFLINE_STATIC),
    ]
    config = {
        "workbox": static(f"{WORKBOX}/workbox-sw.js"),
        # Workbox loads its modules by their plain names, which the collected files keep too.
        "modules": settings.STATIC_URL + WORKBOX,
        "offline": reverse("offline:page"),
        "checklists": reverse("offline:checklists"),
        "precache": precache,
    }
    response = render(
        request,
        "identification/sw.js",
        {"config": json.dumps(config, sort_keys=True)},
        content_type="text/javascript; charset=utf-8",
    )
    patch_cache_control(response, no_cache=True)
    return response


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: what a phone needs to install tanu on its home screen."""
    body = {
        "name": _("tanu: recognising victims of human trafficking"),
        "short_name": "tanu",
        "description": _("Screen, refer and follow up; screenings also work without a connection."),
        "lang": (get_language() or "ru")[:2],
        "dir": "ltr",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5394",
        "icons": [
            {"src": static("tanu/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("tanu/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("tanu/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
        "shortcuts": [
            {"name": _("Screening without a connection"), "url": reverse("offline:page")}
        ],
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    patch_cache_control(response, no_cache=True)
    return response
