"""The service directory: search, CSV import and export, and suggestions for a case.

The directory holds no personal data; every signed-in role may read it. Importing changes it for
everyone, so an import is all or nothing: every row is checked first, and a single bad row means
nothing is written. The messages are translated, so an official reads them in their own language.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from tanu.accounts.models import Agency, Region, Role
from tanu.audit.actions import record
from tanu.audit.models import Action, ObjectType
from tanu.lib import csvsafe
from tanu.referrals.models import Service

if TYPE_CHECKING:
    from tanu.cases.models import Case

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

ACCEPTS = ("adults", "children", "women", "men", "foreigners")
ACCEPTS_CHOICES = [
    ("adults", gettext_lazy("adults")),
    ("children", gettext_lazy("children")),
    ("women", gettext_lazy("women")),
    ("men", gettext_lazy("men")),
    ("foreigners", gettext_lazy("foreign citizens")),
]
LANGUAGE_NAMES = {
    "kk": gettext_lazy("Kazakh"),
    "ru": gettext_lazy("Russian"),
    "en": gettext_lazy("English"),
    "uz": gettext_lazy("Uzbek"),
    "ky": gettext_lazy("Kyrgyz"),
    "tg": gettext_lazy("Tajik"),
    "other": gettext_lazy("another language"),
}
LANGUAGE_CODES = tuple(LANGUAGE_NAMES)
FORMS = ("labour", "sexual")
FORM_NAMES = {
    "labour": gettext_lazy("labour exploitation"),
    "sexual": gettext_lazy("sexual exploitation"),
}
# Kinds that serve the whole country: suggested whatever the case's region.
NATIONAL_KINDS = (Service.Kind.CONSULATE, Service.Kind.HOTLINE)


def services_for_case(case: Case) -> QuerySet[Service]:
    """The services a case may be referred to (and a consent may name): active services of the
    case's region, and the national ones (consulates, hotlines) from anywhere. The referral form,
    the API and the consent form all use this one filter."""
    return Service.objects.filter(is_active=True).filter(
        Q(region_id=case.region_id) | Q(kind__in=NATIONAL_KINDS)
    )


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------


def _spellings(text: str) -> set[str]:
    """SQLite compares only ASCII letters without regard to case; also try the usual casings so
    that "алматы" finds "Алматы" there too (PostgreSQL needs none of this)."""
    return {text, text.lower(), text.upper(), text.capitalize(), text.title()}


def search_services(
    qs: QuerySet[Service],
    *,
    text: str = "",
    region: int | str | None = None,
    kind: str = "",
    accepts: str = "",
) -> QuerySet[Service]:
    """Narrow ``qs``: ``text`` in any of the three names or the address (any case), ``region`` by
    id, ``kind`` one of Service.Kind, ``accepts`` one of ACCEPTS. Empty or unknown values are
    ignored."""
    text = text.strip()
    if text:
        condition = Q()
        for spelling in _spellings(text):
            for name in ("name_en", "name_ru", "name_kk", "address"):
                condition |= Q(**{f"{name}__icontains": spelling})
        qs = qs.filter(condition)
    if region not in (None, ""):
        qs = qs.filter(region_id=region)
    if kind in Service.Kind.values:
        qs = qs.filter(kind=kind)
    if accepts in ACCEPTS:
        qs = qs.filter(**{f"accepts_{accepts}": True})
    return qs


# ---------------------------------------------------------------------------------------------
# CSV export and import
# ---------------------------------------------------------------------------------------------

ACCEPTS_FIELDS = tuple(f"accepts_{who}" for who in ACCEPTS)
# What a service offers and how to reach it: the same fields in the CSV file, the import and the API.
DETAIL_FIELDS = (
    "address",
    "phone",
    "email",
    "hours",
    "languages",
    *ACCEPTS_FIELDS,
    "forms",
    "capacity",
    "is_active",
)
COLUMNS = ("region_code", "kind", "name_en", "name_ru", "name_kk", "agency_id", *DETAIL_FIELDS)
BOOLEAN_COLUMNS = (*ACCEPTS_FIELDS, "is_active")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
PROGRESS_EVERY = 500
IMPORT_ACTOR_NAME = "services-import"
# Officials edit these files in spreadsheets set to Russian or Kazakh: accept those words too.
TRUE_WORDS = frozenset({"yes", "y", "1", "true", "да", "иә", "ия"})
FALSE_WORDS = frozenset({"no", "n", "0", "false", "нет", "жоқ"})
MAX_LENGTHS = {
    "name_en": 200,
    "name_ru": 200,
    "name_kk": 200,
    "address": 300,
    "phone": 60,
    "hours": 200,
    "email": 254,
}

# Messages, marked for translation (gettext at the time of use, in the user's language).
MSG_NOT_UTF8 = gettext_noop(
    "The file is not UTF-8 text. In a spreadsheet, save it as “CSV UTF-8 (comma delimited)”."
)
MSG_TOO_LARGE = gettext_noop(
    "The file is too large: at most %(mb)s MB and %(rows)s services at a time. "
    "Split it into smaller files."
)
MSG_EMPTY = gettext_noop("The file is empty. The first row must be the header: %(columns)s.")
MSG_HEADER = gettext_noop(
    "The first row must be the header: %(columns)s. Missing: %(missing)s. Not known: %(unknown)s."
)
MSG_NO_ROWS = gettext_noop("The file has a header but no services.")
MSG_ROW_LENGTH = gettext_noop("This row has %(found)s values; the header has %(expected)s.")
MSG_UNKNOWN_REGION = gettext_noop("There is no region with the code “%(value)s”.")
MSG_OTHER_REGION = gettext_noop("You may import services of your own region (%(code)s) only.")
MSG_UNKNOWN_KIND = gettext_noop("“%(value)s” is not a type of service. Use one of: %(allowed)s.")
MSG_NAME_EMPTY = gettext_noop("The name must not be empty.")
MSG_TOO_LONG = gettext_noop("At most %(max)s characters.")
MSG_AGENCY_NOT_NUMBER = gettext_noop(
    "“%(value)s” is not an agency number. Leave it empty for a service outside tanu."
)
MSG_UNKNOWN_AGENCY = gettext_noop("There is no agency with the number %(value)s.")
MSG_AGENCY_REGION = gettext_noop("Agency %(value)s is in another region (%(code)s).")
MSG_EMAIL = gettext_noop("“%(value)s” is not a valid email address.")
MSG_CAPACITY = gettext_noop("The capacity must be a whole number of 0 or more, or empty.")
MSG_LANGUAGES = gettext_noop("“%(value)s” is not a language code. Use: %(allowed)s.")
MSG_FORMS = gettext_noop("“%(value)s” is not a form of exploitation. Use: %(allowed)s.")
MSG_BOOLEAN = gettext_noop("“%(value)s” is not yes or no. Write yes or no (also 1/0, true/false).")
MSG_DUPLICATE = gettext_noop(
    "Row %(row)s already has a service with this English name in this region."
)


class ServiceImportError(Exception):
    """The file as a whole cannot be read (encoding, size, header). Nothing was imported."""


class RowError(NamedTuple):
    """A problem in one cell. Rows are numbered as a spreadsheet shows them: the header is row 1."""

    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


Progress = Callable[[str], None]


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def export_services_csv(qs: Iterable[Service]) -> str:
    """The services as CSV text (without a byte-order mark) in the import's columns."""
    out = io.StringIO()
    writer = csvsafe.writer(out, lineterminator="\r\n")  # no cell starts like a formula
    writer.writerow(COLUMNS)
    services = qs.select_related("region") if isinstance(qs, QuerySet) else qs
    for service in services:
        writer.writerow(
            [
                service.region.code,
                service.kind,
                service.name_en,
                service.name_ru,
                service.name_kk,
                service.agency_id or "",
                service.address,
                service.phone,
                service.email,
                service.hours,
                ",".join(service.language_list()),
                _yes_no(service.accepts_adults),
                _yes_no(service.accepts_children),
                _yes_no(service.accepts_women),
                _yes_no(service.accepts_men),
                _yes_no(service.accepts_foreigners),
                service.forms,
                "" if service.capacity is None else service.capacity,
                _yes_no(service.is_active),
            ]
        )
    return out.getvalue()


def decode_csv_bytes(data: bytes) -> str:
    """UTF-8 text of an uploaded file (an optional byte-order mark is dropped)."""
    if len(data) > MAX_BYTES:
        raise ServiceImportError(_too_large())
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ServiceImportError(_(MSG_NOT_UTF8)) from exc


def _too_large() -> str:
    return _(MSG_TOO_LARGE) % {"mb": MAX_BYTES // (1024 * 1024), "rows": f"{MAX_ROWS:,}"}


def _split(value: str) -> list[str]:
    return [part.strip().lower() for part in re.split(r"[,;\s]+", value) if part.strip()]


def _read_rows(text: str) -> tuple[list[str], list[list[str]]]:
    """Header (normalised) and the data rows, skipping blank lines. Raises ServiceImportError."""
    text = text.removeprefix("\ufeff")
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ServiceImportError(_too_large())
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to Russian save CSV with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise ServiceImportError(_(MSG_EMPTY) % {"columns": ",".join(COLUMNS)})
        rows: list[list[str]] = []
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS + 1000:  # blank lines aside, clearly too many
                break
    except csv.Error as exc:
        raise ServiceImportError(_(MSG_EMPTY) % {"columns": ",".join(COLUMNS)}) from exc
    names = [cell.strip().lower() for cell in header]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n not in COLUMNS]
    if missing or unknown or len(set(names)) != len(names):
        raise ServiceImportError(
            _(MSG_HEADER)
            % {
                "columns": ",".join(COLUMNS),
                "missing": ", ".join(missing) or "—",
                "unknown": ", ".join(unknown) or "—",
            }
        )
    return names, rows


class _Validator:
    """Checks every row and collects the problems; keeps the cleaned values of good rows."""

    def __init__(self, header: list[str], raw_rows: list[list[str]], allowed_region: str | None):
        self.header = header
        self.raw_rows = raw_rows
        self.allowed_region = allowed_region
        self.errors: list[RowError] = []
        self.clean: list[tuple[int, dict[str, Any]]] = []
        self.regions = {r.code.upper(): r for r in Region.objects.all()}
        agency_ids = set()
        position = header.index("agency_id")
        for raw in raw_rows:
            if position < len(raw) and raw[position].strip().isdigit():
                agency_ids.add(int(raw[position].strip()))
        self.agencies = {a.pk: a for a in Agency.objects.filter(pk__in=agency_ids)}
        self.seen: dict[tuple[str, str], int] = {}

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def run(self, progress: Progress | None = None) -> None:
        total = len(self.raw_rows)
        for index, raw in enumerate(self.raw_rows):
            number = index + 2  # the header is row 1
            if any(cell.strip() for cell in raw):
                self.check(number, raw)
            if progress and (index + 1) % PROGRESS_EVERY == 0:
                progress(f"checked {index + 1} of {total} rows")

    def check(self, number: int, raw: list[str]) -> None:
        # Trailing empty cells are harmless (spreadsheets add them); anything else is not.
        extra = raw[len(self.header) :]
        if len(raw) < len(self.header) or any(cell.strip() for cell in extra):
            self.error(
                number, "", _(MSG_ROW_LENGTH) % {"found": len(raw), "expected": len(self.header)}
            )
            return
        cells = {name: csvsafe.restore(raw[i].strip()) for i, name in enumerate(self.header)}
        errors_before = len(self.errors)
        values: dict[str, Any] = {}

        code = cells["region_code"].upper()
        region = self.regions.get(code)
        if region is None:
            self.error(
                number, "region_code", _(MSG_UNKNOWN_REGION) % {"value": cells["region_code"]}
            )
        elif self.allowed_region is not None and code != self.allowed_region:
            self.error(number, "region_code", _(MSG_OTHER_REGION) % {"code": self.allowed_region})
        values["region"] = region

        kind = cells["kind"].lower()
        if kind not in Service.Kind.values:
            self.error(
                number,
                "kind",
                _(MSG_UNKNOWN_KIND)
                % {"value": cells["kind"], "allowed": ", ".join(Service.Kind.values)},
            )
        values["kind"] = kind

        for name in ("name_en", "name_ru", "name_kk"):
            if not cells[name]:
                self.error(number, name, _(MSG_NAME_EMPTY))
        for name, limit in MAX_LENGTHS.items():
            if len(cells[name]) > limit:
                self.error(number, name, _(MSG_TOO_LONG) % {"max": limit})
            values[name] = cells[name]

        agency = None
        if cells["agency_id"]:
            if not cells["agency_id"].isdigit():
                self.error(
                    number, "agency_id", _(MSG_AGENCY_NOT_NUMBER) % {"value": cells["agency_id"]}
                )
            else:
                agency = self.agencies.get(int(cells["agency_id"]))
                if agency is None:
                    self.error(
                        number, "agency_id", _(MSG_UNKNOWN_AGENCY) % {"value": cells["agency_id"]}
                    )
                elif region is not None and agency.region_id != region.pk:
                    self.error(
                        number,
                        "agency_id",
                        _(MSG_AGENCY_REGION)
                        % {"value": agency.pk, "code": self._region_code(agency.region_id)},
                    )
        values["agency"] = agency

        if cells["email"]:
            try:
                validate_email(cells["email"])
            except ValidationError:
                self.error(number, "email", _(MSG_EMAIL) % {"value": cells["email"]})

        capacity = cells["capacity"]
        if capacity and not (capacity.isascii() and capacity.isdigit()):
            self.error(number, "capacity", _(MSG_CAPACITY))
        values["capacity"] = int(capacity) if capacity.isascii() and capacity.isdigit() else None

        languages = _split(cells["languages"])
        for code_ in languages:
            if code_ not in LANGUAGE_CODES:
                self.error(
                    number,
                    "languages",
                    _(MSG_LANGUAGES) % {"value": code_, "allowed": ", ".join(LANGUAGE_CODES)},
                )
        values["languages"] = ",".join(dict.fromkeys(languages))

        forms = _split(cells["forms"])
        for form in forms:
            if form not in FORMS:
                self.error(
                    number, "forms", _(MSG_FORMS) % {"value": form, "allowed": ", ".join(FORMS)}
                )
        values["forms"] = ",".join(f for f in FORMS if f in forms)

        for name in BOOLEAN_COLUMNS:
            word = cells[name].lower()
            if word in TRUE_WORDS:
                values[name] = True
            elif word in FALSE_WORDS:
                values[name] = False
            else:
                self.error(number, name, _(MSG_BOOLEAN) % {"value": cells[name]})

        if region is not None and cells["name_en"]:
            key = (region.code, cells["name_en"].casefold())
            if key in self.seen:
                self.error(number, "name_en", _(MSG_DUPLICATE) % {"row": self.seen[key]})
            else:
                self.seen[key] = number

        if len(self.errors) == errors_before:
            self.clean.append((number, values))

    def _region_code(self, region_id: int) -> str:
        return next((r.code for r in self.regions.values() if r.pk == region_id), "?")


FIELDS = ("kind", "name_ru", "name_kk", "agency", *DETAIL_FIELDS)


def _allowed_region(actor: object | None) -> str | None:
    """A coordinator manages the services of their own region; administrators manage all."""
    role = getattr(actor, "role", None)
    if role == Role.COORDINATOR and not getattr(actor, "is_superuser", False):
        agency = getattr(actor, "agency", None)
        return agency.region.code.upper() if agency is not None else ""
    return None


def import_services_csv(
    text: str,
    *,
    actor: object | None,
    request: HttpRequest | None = None,
    progress: Progress | None = None,
    actor_username: str | None = None,
) -> ImportResult:
    """Check every row; if any is bad import none and return the problems; otherwise create or
    update (by region and English name) every service in one transaction with one audit entry.

    Raises ServiceImportError when the file as a whole cannot be read."""
    header, raw_rows = _read_rows(text)
    data_rows = [raw for raw in raw_rows if any(cell.strip() for cell in raw)]
    if len(data_rows) > MAX_ROWS:
        raise ServiceImportError(_too_large())
    if not data_rows:
        raise ServiceImportError(_(MSG_NO_ROWS))
    validator = _Validator(header, raw_rows, _allowed_region(actor))
    validator.run(progress)
    errors = sorted(
        validator.errors, key=lambda e: (e.row, COLUMNS.index(e.column) if e.column else -1)
    )
    result = ImportResult(rows=len(data_rows), errors=errors)
    if validator.errors:
        return result
    total = len(validator.clean)
    with transaction.atomic():
        existing = {
            (s.region_id, s.name_en): s
            for s in Service.objects.select_for_update().filter(
                region_id__in={values["region"].pk for _n, values in validator.clean}
            )
        }
        now = timezone.now()
        for index, (_number, values) in enumerate(validator.clean):
            service = existing.get((values["region"].pk, values["name_en"]))
            if service is None:
                Service.objects.create(
                    region=values["region"],
                    name_en=values["name_en"],
                    updated_at=now,
                    **{name: values[name] for name in FIELDS},
                )
                result.created += 1
            else:
                changed = [name for name in FIELDS if getattr(service, name) != values[name]]
                if changed:
                    for name in changed:
                        setattr(service, name, values[name])
                    service.updated_at = now
                    service.save(update_fields=[*changed, "updated_at"])
                    result.updated += 1
                else:
                    result.unchanged += 1
            if progress and (index + 1) % PROGRESS_EVERY == 0:
                progress(f"imported {index + 1} of {total} rows")
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.SERVICE_DIRECTORY,
            fields=["import"],
            reason=(
                f"import of {result.rows} rows: {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged"
            ),
            request=request,
            actor_username=actor_username,
        )
    return result


# ---------------------------------------------------------------------------------------------
# Suggestions for a case
# ---------------------------------------------------------------------------------------------

_LANGUAGE_ALIASES = {
    "kk": ("kk", "kaz", "kazakh", "казахский", "казахский язык", "қазақ", "қазақша", "казакский"),
    "ru": ("ru", "rus", "russian", "русский", "орыс", "орысша"),
    "en": ("en", "eng", "english", "английский", "ағылшын"),
    "uz": ("uz", "uzb", "uzbek", "узбекский", "өзбек", "өзбекше"),
    "ky": ("ky", "kg", "kir", "kyrgyz", "kirghiz", "киргизский", "кыргызский", "қырғыз"),
    "tg": ("tg", "tj", "tgk", "tajik", "таджикский", "тәжік"),
}
_LANGUAGE_LOOKUP = {alias: code for code, aliases in _LANGUAGE_ALIASES.items() for alias in aliases}
_KAZAKHSTAN = frozenset(
    {
        "kz",
        "kaz",
        "kazakhstan",
        "republic of kazakhstan",
        "казахстан",
        "республика казахстан",
        "рк",
        "қазақстан",
        "қазақстан республикасы",
        "қр",
    }
)
_UNKNOWN_CITIZENSHIP = frozenset({"", "-", "—", "?", "unknown", "неизвестно", "не известно"})
# Citizenship as typed -> words that name the country in a consulate's English name.
_COUNTRIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "UZ": (("uz", "uzb", "uzbekistan", "узбекистан", "өзбекстан"), ("uzbekistan",)),
    "KG": (
        ("kg", "kgz", "kyrgyzstan", "kyrgyz republic", "кыргызстан", "киргизия", "қырғызстан"),
        ("kyrgyz",),
    ),
    "TJ": (("tj", "tjk", "tajikistan", "таджикистан", "тәжікстан"), ("tajikistan",)),
    "TM": (("tm", "tkm", "turkmenistan", "туркменистан", "түрікменстан"), ("turkmenistan",)),
    "RU": (("ru", "rus", "russia", "russian federation", "россия", "ресей"), ("russia",)),
    "CN": (("cn", "chn", "china", "китай", "қытай"), ("china",)),
    "AF": (("af", "afg", "afghanistan", "афганистан", "ауғанстан"), ("afghanistan",)),
    "AZ": (("az", "aze", "azerbaijan", "азербайджан", "әзірбайжан"), ("azerbaijan",)),
    "UA": (("ua", "ukr", "ukraine", "украина"), ("ukraine",)),
    "MN": (("mn", "mng", "mongolia", "монголия", "моңғолия"), ("mongolia",)),
}

_VICTIM_ORDER = (
    Service.Kind.SHELTER,
    Service.Kind.SPECIAL_SOCIAL_SERVICES,
    Service.Kind.LEGAL_AID,
    Service.Kind.PSYCHOLOGICAL,
    Service.Kind.MEDICAL,
    Service.Kind.POLICE_INVESTIGATION,
)
_FOREIGNER_ORDER = (
    Service.Kind.CONSULATE,
    Service.Kind.MIGRATION_SERVICE,
    Service.Kind.RETURN_REINTEGRATION,
)


@dataclass
class Suggestion:
    service: Service
    reasons: list[str]


def person_languages(raw: str) -> set[str]:
    """Language codes from what was typed ("kk, ru", "русский", "Uzbek"); unknown words dropped."""
    parts = [p.strip().lower() for p in re.split(r"[,;/]+", raw or "") if p.strip()]
    codes = set()
    for part in parts:
        code = _LANGUAGE_LOOKUP.get(part)
        if code is None:
            code = next((_LANGUAGE_LOOKUP[w] for w in part.split() if w in _LANGUAGE_LOOKUP), None)
        if code is not None:
            codes.add(code)
    return codes


def is_foreign_citizen(citizenship: str) -> bool:
    """Not a citizen of Kazakhstan as far as is known (stateless persons count as foreign)."""
    value = (citizenship or "").strip().lower()
    return value not in _KAZAKHSTAN and value not in _UNKNOWN_CITIZENSHIP


def _country(citizenship: str) -> str | None:
    value = (citizenship or "").strip().lower()
    return next((code for code, (names, _w) in _COUNTRIES.items() if value in names), None)


def kind_order(*, is_child: bool, foreign: bool, outcome: str) -> list[str]:
    """The kinds of service in the order they matter for this person."""
    order: list[str] = []
    if is_child:
        order.append(Service.Kind.CHILD_PROTECTION)
    if foreign:
        order.extend(_FOREIGNER_ORDER)
    if outcome == "presumed_victim":
        order.extend(_VICTIM_ORDER)
    else:  # a possible victim: assessment and support first, the shelter when needed
        order.extend(
            (
                Service.Kind.SPECIAL_SOCIAL_SERVICES,
                Service.Kind.PSYCHOLOGICAL,
                Service.Kind.LEGAL_AID,
                Service.Kind.MEDICAL,
                Service.Kind.SHELTER,
                Service.Kind.POLICE_INVESTIGATION,
            )
        )
    order.extend(Service.Kind.values)
    return list(dict.fromkeys(order))


def suggest_services(case: Case, qs: QuerySet[Service] | None = None) -> list[Suggestion]:
    """Services that fit the case, best first, each with the reasons it fits.

    Kept: active services of the case's region (consulates and hotlines from anywhere; for a
    foreign citizen the consulate of their country when it can be told) that accept the person
    (child or adult, woman or man, foreign citizen), handle the case's form of exploitation and
    speak one of the person's languages when both are known; a service that speaks none of them
    stays only where no service of its kind does (then with an interpreter). Order: for a child,
    child protection first (it must be told of every child); then services that take referrals
    through tanu; then the kinds that matter most for this person; then the name."""
    person = case.person
    base = qs if qs is not None else Service.objects.all()
    services = base.filter(is_active=True).filter(
        Q(region_id=case.region_id) | Q(kind__in=NATIONAL_KINDS)
    )
    services = (
        services.filter(accepts_children=True)
        if case.is_child
        else services.filter(accepts_adults=True)
    )
    sex = getattr(person, "sex", "")
    if sex == "female":
        services = services.filter(accepts_women=True)
    elif sex == "male":
        services = services.filter(accepts_men=True)
    foreign = is_foreign_citizen(getattr(person, "citizenship", ""))
    if foreign:
        services = services.filter(accepts_foreigners=True)
    form = case.form if case.form in FORMS else ""
    spoken = person_languages(getattr(person, "languages", ""))
    country = _country(getattr(person, "citizenship", "")) if foreign else None
    country_words = _COUNTRIES[country][1] if country else ()

    order = kind_order(is_child=case.is_child, foreign=foreign, outcome=case.outcome)
    rank = {kind: i for i, kind in enumerate(order)}
    candidates: list[tuple[Service, bool]] = []
    for service in services.select_related("region", "agency"):
        service_forms = _split(service.forms)
        if form and service_forms and form not in service_forms:
            continue
        own_consulate = False
        if service.kind == Service.Kind.CONSULATE:
            if not foreign:
                continue
            if country_words:
                name = service.name_en.casefold()
                own_consulate = any(word in name for word in country_words)
                if not own_consulate:
                    continue
        candidates.append((service, own_consulate))

    # A service that speaks none of the person's languages gives way to one of the same kind that
    # does; where no service of that kind does, it stays (with an interpreter), so that a person
    # who speaks only Tajik is never left without a shelter or the police.
    def speaks(service: Service) -> bool:
        offered = set(service.language_list())
        return not spoken or not offered or bool(spoken & offered)

    kinds_spoken = {service.kind for service, _own in candidates if speaks(service)}
    picked: list[tuple[tuple[Any, ...], Suggestion]] = []
    for service, own_consulate in candidates:
        if not speaks(service) and service.kind in kinds_spoken:
            continue
        reasons = _reasons(
            service,
            case=case,
            sex=sex,
            foreign=foreign,
            spoken=spoken,
            form=form,
            own_consulate=own_consulate,
        )
        first = 0 if case.is_child and service.kind == Service.Kind.CHILD_PROTECTION else 1
        key = (
            first,
            0 if service.via_tanu else 1,
            rank[service.kind],
            0 if speaks(service) else 1,
            service.name.casefold(),
        )
        picked.append((key, Suggestion(service=service, reasons=reasons)))
    picked.sort(key=lambda item: item[0])
    return [suggestion for _key, suggestion in picked]


def _reasons(
    service: Service,
    *,
    case: Case,
    sex: str,
    foreign: bool,
    spoken: set[str],
    form: str,
    own_consulate: bool,
) -> list[str]:
    reasons: list[str] = []
    if case.is_child and service.kind == Service.Kind.CHILD_PROTECTION:
        reasons.append(_("child protection must be told of every child"))
    if own_consulate:
        reasons.append(_("the consulate of the person's country"))
    if service.region_id == case.region_id:
        reasons.append(_("in %(region)s") % {"region": service.region.name})
    else:
        reasons.append(_("serves the whole country"))
    reasons.append(_("accepts children") if case.is_child else _("accepts adults"))
    if sex == "female":
        reasons.append(_("accepts women"))
    elif sex == "male":
        reasons.append(_("accepts men"))
    if foreign:
        reasons.append(_("accepts foreign citizens"))
    offered = service.language_list()
    common = [code for code in offered if code in spoken]
    if common:
        names = ", ".join(str(LANGUAGE_NAMES[code]) for code in common if code in LANGUAGE_NAMES)
        reasons.append(_("speaks %(languages)s") % {"languages": names})
    elif spoken and not offered:
        reasons.append(_("languages spoken not listed: ask when you call"))
    elif spoken:
        wanted = ", ".join(str(LANGUAGE_NAMES[code]) for code in sorted(spoken))
        reasons.append(
            _("does not list %(languages)s: arrange an interpreter") % {"languages": wanted}
        )
    if form and form in _split(service.forms):
        reasons.append(
            _("handles labour exploitation")
            if form == "labour"
            else _("handles sexual exploitation")
        )
    if service.via_tanu:
        reasons.append(_("takes referrals through tanu"))
    else:
        reasons.append(_("outside tanu: contact the service directly"))
    return reasons
