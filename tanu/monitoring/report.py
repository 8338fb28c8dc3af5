"""The printable visit report, as sections shared by the print page and the PDF.

It holds no personal data: counts, observations, findings, recommendations and follow-up actions.
Team members and action owners appear by their capacity and agency, never by name. Build it
inside `translation.override(lang)` to get it in that language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tanu.lib import pdf
from tanu.monitoring.models import FollowUpAction, Visit, VisitMember
from tanu.monitoring.queries import Found

LANGUAGES = ("kk", "ru", "en")


def _date(value: date | None) -> str:
    return str(formats.date_format(value, "SHORT_DATE_FORMAT")) if value else "—"


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def title(visit: Visit) -> str:
    return _("Monitoring visit report: %(facility)s") % {"facility": visit.facility.name}


def sections(
    visit: Visit,
    *,
    found: Found,
    members: Sequence[VisitMember],
    follow_ups: Sequence[FollowUpAction],
) -> list[pdf.Section]:
    facility = visit.facility
    team = "; ".join(
        f"{m.get_capacity_display()} ({m.user.agency.name if m.user.agency else '—'})"
        for m in members
    )
    if visit.duration_minutes:
        hours, minutes = divmod(visit.duration_minutes, 60)
        duration = _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    else:
        duration = "—"
    result = [
        pdf.Section(
            heading=_("The visit"),
            rows=[
                (_("facility"), facility.name),
                (_("type of facility"), str(facility.get_kind_display())),
                (_("region"), visit.region.name),
                (
                    _("operating agency"),
                    facility.operating_agency.name if facility.operating_agency else "—",
                ),
                (_("status"), str(visit.get_status_display())),
                (_("planned date"), _date(visit.planned_on)),
                (_("date of the visit"), _date(visit.visited_on)),
                (_("duration"), duration),
                (
                    _("announced to the facility in advance"),
                    _("yes") if visit.announced else _("no"),
                ),
                (_("purpose of the visit"), visit.purpose),
                (_("team"), team or "—"),
            ],
        ),
        pdf.Section(
            heading=_("People present"),
            rows=[
                (_("adults present"), _count(visit.adults_present)),
                (_("juveniles present (under 18)"), _count(visit.juveniles_present)),
                (_("of them, foreigners and stateless people"), _count(visit.foreigners_present)),
                (_("people screened"), _count(visit.people_screened)),
            ],
        ),
        pdf.Section(
            heading=_("What the screenings found"),
            rows=[
                (_("screenings started from the visit"), str(found.screenings)),
                (_("of them, not finalised yet"), str(found.drafts)),
                (_("presumed victims"), str(found.presumed)),
                (_("possible victims"), str(found.possible)),
                (_("referrals made"), str(found.referrals)),
            ],
        ),
        pdf.Section(
            heading=_("Access"),
            rows=[(_("access"), str(visit.get_access_display()) if visit.access else "—")],
            paragraphs=[visit.access_notes] if visit.access_notes else [],
        ),
        pdf.Section(
            heading=_("Observations on conditions"),
            paragraphs=[visit.conditions or "—"],
        ),
        pdf.Section(heading=_("Findings"), paragraphs=[visit.findings or "—"]),
        pdf.Section(heading=_("Recommendations"), paragraphs=[visit.recommendations or "—"]),
    ]
    actions_section = pdf.Section(heading=_("Follow-up actions"))
    if follow_ups:
        actions_section.table = [
            [_("what is to be done"), _("owner"), _("due by"), _("status"), _("what was done")],
            *(
                [
                    a.description,
                    a.owner.agency.name if a.owner.agency else "—",
                    _date(a.due_on),
                    str(a.get_status_display()),
                    a.outcome or "—",
                ]
                for a in follow_ups
            ),
        ]
    else:
        actions_section.paragraphs = [_("No follow-up actions.")]
    result.append(actions_section)
    return result


def footer() -> str:
    return _(
        "Made with tanu on %(date)s. This report holds no personal data: people met during the "
        "visit are recorded only in their screenings and cases."
    ) % {"date": _date(timezone.localdate())}


def render_pdf(
    visit: Visit,
    *,
    found: Found,
    members: Sequence[VisitMember],
    follow_ups: Sequence[FollowUpAction],
) -> bytes:
    return pdf.render(
        title(visit),
        sections(visit, found=found, members=members, follow_ups=follow_ups),
        subtitle=f"{visit.region.name} · {_date(visit.day)}",
        footer=footer(),
    )
