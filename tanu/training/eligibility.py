"""Why a participant gets no certificate, in the reader's language: shown to the trainer after
"Issue certificates", person by person (attendance below the threshold, no post-test, a score
below the pass mark)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tanu.training.actions import Standing
from tanu.training.models import Participant, Seminar


@dataclass(frozen=True)
class Refusal:
    participant: Participant
    reasons: list[str]


def reasons(standing: Standing, seminar: Seminar, *, has_post_test: bool) -> list[str]:
    """Everything that keeps this participant from a certificate (empty: they qualify)."""
    found: list[str] = []
    percent = standing.attendance_percent
    if percent is None:
        found.append(_("The agenda has no sessions, so attendance cannot be counted."))
    elif percent < seminar.min_attendance:
        found.append(
            _(
                "Attended %(attended)s of %(sessions)s sessions (%(percent)s%%); "
                "%(needed)s%% are needed."
            )
            % {
                "attended": standing.attended,
                "sessions": standing.sessions,
                "percent": round(percent),
                "needed": seminar.min_attendance,
            }
        )
    if not has_post_test:
        found.append(_("The seminar has no post-test yet."))
    elif standing.post_score is None:
        found.append(_("Did not submit the post-test."))
    elif standing.post_score < seminar.pass_mark:
        found.append(
            _("Post-test score %(score)s%%; the pass mark is %(mark)s%%.")
            % {"score": f"{standing.post_score:.0f}", "mark": seminar.pass_mark}
        )
    return found


def refusals(seminar: Seminar, standings: list[Standing]) -> list[Refusal]:
    """The participants without a certificate, each with the reasons."""
    has_post_test = seminar.tests.filter(kind="post").exists()
    out = []
    for standing in standings:
        participant = standing.participant
        certificate = getattr(participant, "certificate", None)
        if certificate is not None:
            if certificate.revoked_at is not None:
                out.append(Refusal(participant, [_("The certificate was revoked.")]))
            continue
        found = reasons(standing, seminar, has_post_test=has_post_test)
        if found:
            out.append(Refusal(participant, found))
    return out
