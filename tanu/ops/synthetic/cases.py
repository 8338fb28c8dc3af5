"""Synthetic cases for about a third of presumed and possible victims, with their person (names
in Kazakh, Russian and Latin spellings, with the variants and typos of
:mod:`tanu.ops.synthetic.names`; a few persons met again under another spelling), blind indexes,
consents, notes, identification decisions and referrals (:mod:`tanu.ops.synthetic.referrals`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tanu.cases import actions as case_actions
from tanu.cases.models import Case, Consent, Note, Person, PersonIndex, age_band
from tanu.identification.models import Screening
from tanu.ops.synthetic.generator import ALMATY_TZ, clamp, weighted
from tanu.ops.synthetic.names import Identity, written_document
from tanu.ops.synthetic.proceedings import ProceedingMaker
from tanu.ops.synthetic.referrals import ReferralMaker
from tanu.ops.synthetic.world import AgencyInfo, RegionInfo
from tanu.referrals.models import IdentificationDecision

CASE_RATE = {"presumed_victim": 0.6, "possible_victim": 0.22}  # about a third overall
DECLINE_RATE = 0.2  # adults without a case who declined one: anonymous notification
AGAIN_RATE = 0.04  # persons met before, written differently

LANGUAGES_BY_CITIZENSHIP = {"KZ": "kk, ru", "UZ": "uz, ru", "KG": "ky, ru", "TJ": "tg, ru"}
CITIZENSHIPS = (("KZ", 0.72), ("UZ", 0.12), ("KG", 0.07), ("TJ", 0.04), ("RU", 0.03), ("", 0.02))

NOTES = [
    "Связались по телефону, состояние стабильное.",
    "Требуется сопровождение на медицинский осмотр.",
    "Документы переданы для восстановления.",
    "Встреча с психологом назначена.",
    "Человек просит не сообщать работодателю.",
    "Жеке куәлікті қалпына келтіру басталды.",
    "Follow-up call done; the person is safe.",
]
DECISION_REASONS = [
    "Показатели подтверждены в ходе проверки.",
    "Материалы направлены в следственный орган.",
    "Ожидается заключение по результатам проверки.",
]
CLOSURES = (
    ("assistance_completed", 0.5),
    ("person_declined", 0.15),
    ("not_trafficking", 0.1),
    ("lost_contact", 0.15),
    ("transferred", 0.05),
    ("other", 0.05),
)


# The blind indexes tanu.cases.actions.reindex_person stores for a person.
person_digests = case_actions.person_digests


class CaseMaker(ProceedingMaker, ReferralMaker):
    """Makes a case with its person, consents, notes, decision, referrals and, for some, a
    criminal proceeding (:mod:`tanu.ops.synthetic.proceedings`)."""

    def _case(self, screening: Screening, region: RegionInfo, agency: AgencyInfo) -> None:
        rng = self.rng
        assert screening.finalised_at is not None
        created = clamp(screening.finalised_at + timedelta(minutes=rng.randint(5, 120)), self.now)
        is_child = screening.age_group in ("child", "unknown_maybe_child")
        person, identity = self._person(screening, created)
        presumed = screening.outcome == "presumed_victim"
        local_day = created.astimezone(ALMATY_TZ).date()
        case = Case(
            person_id=person.pk,
            agency_id=agency.id,
            region_id=region.id,
            created_by_id=agency.user_id,
            created_at=created,
            updated_at=created,
            status=Case.Status.OPEN,
            outcome=screening.outcome,
            form=screening.form,
            is_child=is_child,
            reflection_starts=local_day if presumed else None,
            reflection_ends=local_day + timedelta(days=30) if presumed else None,
            revision=1,
        )
        self._add(case)
        screening.case_id = case.pk
        self._number(case, "", region.short, created.astimezone(ALMATY_TZ).year)
        age_days = (self.now - created).days
        if age_days > 365:
            status = weighted(rng, (("closed", 0.85), ("in_assistance", 0.1), ("referred", 0.05)))
        elif age_days > 90:
            status = weighted(
                rng,
                (("closed", 0.45), ("in_assistance", 0.35), ("referred", 0.15), ("open", 0.05)),
            )
        else:
            status = weighted(
                rng,
                (("open", 0.25), ("referred", 0.4), ("in_assistance", 0.3), ("closed", 0.05)),
            )
        language = screening.interview_language
        basis = "guardian" if is_child else "person"
        guardian = ""
        if is_child:
            parent = self.names.record(
                self.names.identity(sex="female", citizenship="KZ", born=None)
            )
            guardian = f"мать: {parent.family_name} {parent.given_name}"
        consents: dict[str, Consent] = {}
        purposes = ["assistance", "referral"] + (["law_enforcement"] if rng.random() < 0.4 else [])
        for offset, purpose in enumerate(purposes):
            consent = Consent(
                case_id=case.pk,
                purpose=purpose,
                service_name="",
                given=True,
                basis=basis,
                guardian=guardian,
                best_interests_reason="",
                language=language,
                interpreter_used=screening.interpreter_used,
                recorded_by_id=agency.user_id,
                recorded_at=clamp(created + timedelta(minutes=5 + offset), self.now),
            )
            consents[purpose] = consent
            self._add(consent)
        referrals = 0 if status == "open" else weighted(rng, ((1, 0.5), (2, 0.33), (3, 0.17)))
        if status != "open" and rng.random() < 0.1:
            referrals = 0
        last = created
        chosen: set[int] = set()
        for _ in range(referrals):
            service = self._service(region, identity, is_child, chosen)
            if service is None:
                break
            chosen.add(service.id)
            last = max(last, self._referral(case, service, consents, status, created))
        if not chosen:
            status = "closed" if status == "closed" else "open"
        elif status == "open":
            status = "referred"
        case.status = status
        if status == "closed":
            closed = clamp(created + timedelta(days=rng.randint(20, 300)), self.now)
            case.closed_at = max(closed, last)
            case.closure_reason = weighted(rng, CLOSURES)
            last = case.closed_at
        case.updated_at = last
        case.revision = 1 + len(chosen) + (1 if status == "closed" else 0)
        for _ in range(weighted(rng, ((0, 0.4), (1, 0.4), (2, 0.2)))):
            self._add(
                Note(
                    case_id=case.pk,
                    agency_id=agency.id,
                    author_id=agency.user_id,
                    created_at=clamp(created + timedelta(days=rng.randint(0, 60)), self.now),
                    text=rng.choice(NOTES),
                )
            )
        if presumed and agency.key in ("admin_police", "criminal_police") and rng.random() < 0.5:
            self._add(
                IdentificationDecision(
                    case_id=case.pk,
                    agency_id=agency.id,
                    decided_by_id=agency.user_id,
                    decided_at=clamp(created + timedelta(days=rng.randint(1, 20)), self.now),
                    status=weighted(rng, (("identified", 0.75), ("pending", 0.25))),
                    reasons=rng.choice(DECISION_REASONS),
                    review="",
                    review_reasons="",
                )
            )
        police = any(s.id in chosen and s.kind == "police_investigation" for s in region.services)
        self._proceeding(case, region, police, local_day)

    def _person(self, screening: Screening, created: datetime) -> tuple[Person, Identity]:
        rng = self.rng
        form = screening.form
        female = {"sexual": 0.85, "labour": 0.4}.get(form, 0.5)
        sex = weighted(rng, (("female", female), ("male", 0.98 - female), ("unknown", 0.02)))
        citizenship = weighted(rng, CITIZENSHIPS)
        born: date | None = None
        if screening.age_years is not None and rng.random() < 0.7:
            born = screening.screened_on - timedelta(
                days=365 * screening.age_years + rng.randint(0, 364)
            )
        if self.pool and rng.random() < AGAIN_RATE:
            identity = self.names.encounter_again(rng.choice(self.pool))
            sex, born = identity.sex, identity.born
        else:
            identity = self.names.identity(sex=sex, citizenship=citizenship, born=born)
            if len(self.pool) < 5000:
                self.pool.append(identity)
            elif rng.random() < 0.05:
                self.pool[rng.randrange(len(self.pool))] = identity
        names = self.names.record(identity)
        documents = []
        if identity.document is not None:
            kind, number = identity.document
            documents.append({"type": kind, "number": written_document(number, rng)})
        contacts = []
        if rng.random() < 0.5:
            contacts.append(
                {
                    "channel": "phone",
                    "value": f"+7 700 000 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}",
                    "safe": rng.random() < 0.6,
                }
            )
        person = Person(
            given_name=names.given_name,
            family_name=names.family_name,
            patronymic=names.patronymic,
            other_names=names.other_names,
            date_of_birth=born.isoformat() if born else "",
            estimated_age=None if born else screening.age_years,
            sex=sex,
            citizenship=citizenship,
            languages=LANGUAGES_BY_CITIZENSHIP.get(citizenship, "ru"),
            address=""
            if rng.random() < 0.6
            else f"мкр. {rng.randint(1, 12)}, д. {rng.randint(1, 80)}",
            created_at=created,
            updated_at=created,
        )
        person.documents = documents  # type: ignore[assignment]  # encrypted JSON
        person.contacts = contacts  # type: ignore[assignment]
        person.age_band = age_band(person.age_on(self.today))
        self._add(person)
        for kind, digest in person_digests(person):
            self._add(
                PersonIndex(
                    person_id=person.pk,
                    kind=kind,
                    digest=digest,
                )
            )
        return person, identity
