"""Synthetic referrals of a case to services of its region (and consulates), with their events in
every state and the services given."""

from __future__ import annotations

from datetime import datetime, timedelta

from tanu.cases.models import Case, Consent
from tanu.ops.synthetic.generator import ALMATY_TZ, Generation, clamp, weighted
from tanu.ops.synthetic.names import Identity
from tanu.ops.synthetic.world import RegionInfo, ServiceInfo
from tanu.referrals.models import MINIMUM_FIELDS, Referral, ReferralEvent, ServiceRecord

PURPOSES = {
    "shelter": "Размещение в приюте, безопасное проживание",
    "legal_aid": "Юридическая помощь, восстановление документов",
    "psychological": "Кризисная психологическая помощь",
    "special_social_services": "Специальные социальные услуги",
    "child_protection": "Защита ребёнка, решение вопроса об опеке",
    "police_investigation": "Проверка по признакам ст. 128 УК РК",
    "migration_service": "Урегулирование миграционного статуса",
    "medical": "Медицинский осмотр и помощь",
    "consulate": "Восстановление документов, возвращение на родину",
    "hotline": "Консультация горячей линии",
    "return_reintegration": "Возвращение и реинтеграция",
}
DECLINE_REASONS = ["Нет свободных мест", "Не соответствует профилю услуги", "Лицо не явилось"]


def _creator(case: Case) -> int:
    """Synthetic cases are opened by an official of their agency, never by a register import."""
    assert case.created_by_id is not None
    return int(case.created_by_id)


class ReferralMaker(Generation):
    """Chooses services and makes referrals, their events and the services given."""

    def _service(
        self, region: RegionInfo, identity: Identity, is_child: bool, chosen: set[int]
    ) -> ServiceInfo | None:
        rng = self.rng
        candidates = [
            s
            for s in region.services
            if s.id not in chosen
            and (s.accepts_children if is_child else s.accepts_adults)
            and (s.accepts_men or identity.sex == "female")
        ]
        if identity.origin == "central_asian" and rng.random() < 0.3:
            candidates += [s for s in self.world.national if s.kind == "consulate"]
        if not candidates:
            return None
        preferred = {
            "shelter": 3.0,
            "psychological": 2.0,
            "legal_aid": 2.0,
            "special_social_services": 2.0,
            "child_protection": 4.0 if is_child else 0.1,
            "police_investigation": 1.0,
            "migration_service": 0.7,
            "medical": 1.0,
            "consulate": 3.0,
        }
        return weighted(rng, [(s, preferred.get(s.kind, 1.0)) for s in candidates])

    def _referral(
        self,
        case: Case,
        service: ServiceInfo,
        consents: dict[str, Consent],
        case_status: str,
        created: datetime,
    ) -> datetime:
        rng = self.rng
        sent = clamp(created + timedelta(hours=rng.randint(0, 240)), self.now)
        urgency = weighted(rng, (("routine", 0.7), ("urgent", 0.25), ("emergency", 0.05)))
        due = sent.astimezone(ALMATY_TZ).date() + timedelta(
            days={"routine": 7, "urgent": 2, "emergency": 0}[urgency]
        )
        law = service.kind in ("police_investigation", "migration_service")
        consent: Consent | None = None
        exception, reason = "", ""
        if case.is_child:
            exception, reason = "child", "В интересах ребёнка, законный представитель извещён."
        elif rng.random() < 0.03:
            exception, reason = "risk_to_life", "Угроза жизни, требуется немедленное размещение."
        else:
            purpose = "law_enforcement" if law else "referral"
            consent = consents.get(purpose)
            if consent is None:
                consent = Consent(
                    case_id=case.pk,
                    purpose=purpose,
                    service_name=service.name[:200],
                    given=True,
                    basis="person",
                    guardian="",
                    best_interests_reason="",
                    language=consents["assistance"].language,
                    interpreter_used=consents["assistance"].interpreter_used,
                    recorded_by_id=_creator(case),
                    recorded_at=sent,
                )
                consents[purpose] = consent
                self._add(consent)
        if case_status == "closed":
            status = weighted(
                rng, (("completed", 0.6), ("declined", 0.14), ("withdrawn", 0.13), ("sent", 0.13))
            )
            if status == "sent":
                status = "completed"
        elif case_status == "in_assistance":
            status = weighted(
                rng,
                (("in_progress", 0.5), ("accepted", 0.2), ("completed", 0.2), ("declined", 0.1)),
            )
        else:
            status = weighted(rng, (("sent", 0.55), ("accepted", 0.25), ("declined", 0.2)))
        shared = set(MINIMUM_FIELDS)
        if rng.random() < 0.4:
            shared |= {"name", "contacts"}
        referral = Referral(
            case_id=case.pk,
            service_id=service.id,
            from_agency_id=case.agency_id,
            to_agency_id=service.agency_id,
            created_by_id=_creator(case),
            created_at=sent,
            updated_at=sent,
            purpose=PURPOSES.get(service.kind, "Помощь"),
            urgency=urgency,
            shared_fields=sorted(shared),
            consent_id=consent.pk if consent else None,
            consent_exception=exception,
            exception_reason=reason,
            status=status,
            decline_reason=rng.choice(DECLINE_REASONS) if status == "declined" else "",
            due_date=due,
            external_outcome="",
            feedback="",
            revision=1,
        )
        self._add(referral)
        path = ["sent"]
        if status in ("accepted", "in_progress", "completed"):
            path.append("accepted")
        if status in ("in_progress", "completed"):
            path.append("in_progress")
        if status in ("completed", "declined", "withdrawn"):
            path.append(status)
        receiver_id = self._receiver(service)
        at = sent
        for step in path:
            if step != "sent":
                at = clamp(at + timedelta(hours=rng.randint(2, 24 * 20)), self.now)
            if step in ("sent", "withdrawn") or receiver_id is None or service.agency_id is None:
                actor, agency_id = _creator(case), case.agency_id
            else:
                actor, agency_id = receiver_id, service.agency_id
            self._add(
                ReferralEvent(
                    referral_id=referral.pk,
                    at=at,
                    actor_id=actor,
                    agency_id=agency_id,
                    status=step,
                )
            )
        referral.updated_at = at
        referral.revision = len(path)
        if status in ("in_progress", "completed") and receiver_id and service.agency_id:
            for _ in range(rng.randint(1, 2)):
                given = clamp(at + timedelta(days=rng.randint(0, 10)), self.now)
                self._add(
                    ServiceRecord(
                        referral_id=referral.pk,
                        agency_id=service.agency_id,
                        recorded_by_id=receiver_id,
                        recorded_at=given,
                        given_on=given.astimezone(ALMATY_TZ).date(),
                        kind=service.kind,
                        description="" if rng.random() < 0.5 else "Консультация проведена.",
                    )
                )
        return at

    def _receiver(self, service: ServiceInfo) -> int | None:
        """The official of the receiving agency who answers (None: outside tanu)."""
        if service.agency_id is None:
            return None
        return self.receivers.get(service.agency_id)
