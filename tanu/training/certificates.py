"""Certificates as PDF, in the language the participant or trainer chooses (Kazakh, Russian or
English), with a verification code anyone can check at ``/training/verify/``.

The wording is document content in three languages, like the checklists and scenarios, so that a
certificate reads correctly in each language whatever the state of the interface translations.
The public check shows only whether a code is valid, the seminar's city and dates, the date of
issue and the holder's initials and surname (:mod:`tanu.training.names`), so that an employer can
match the certificate to the person in front of them."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from tanu.lib.pdf import Section, render
from tanu.training.actions import Standing
from tanu.training.codes import grouped
from tanu.training.models import Certificate, ParticipantRole

COURSE = {
    "kk": "Адам саудасының құрбандарын анықтау, олардың деректерін қорғау және көмекке жіберу",
    "ru": "Выявление жертв торговли людьми, защита их данных и направление за помощью",
    "en": "Recognising presumed victims of human trafficking, protecting their data and referring them",
}
TEXTS = {
    "title": {"kk": "Сертификат", "ru": "Сертификат", "en": "Certificate"},
    "intro": {
        "kk": "Осы сертификат мына тұлғаның оқу семинарын сәтті аяқтағанын растайды:",
        "ru": "Настоящий сертификат подтверждает, что следующий участник успешно завершил семинар:",
        "en": "This certificate confirms that the following participant completed the seminar:",
    },
    "participant": {"kk": "Қатысушы", "ru": "Участник", "en": "Participant"},
    "position": {"kk": "Лауазымы", "ru": "Должность", "en": "Position"},
    "agency": {"kk": "Мекеме", "ru": "Ведомство", "en": "Agency"},
    "role": {"kk": "Рөлі", "ru": "Роль", "en": "Role"},
    "seminar": {"kk": "Семинар", "ru": "Семинар", "en": "Seminar"},
    "place": {"kk": "Өткізілген орны", "ru": "Место проведения", "en": "Place"},
    "dates": {"kk": "Күндері", "ru": "Даты", "en": "Dates"},
    "attendance": {"kk": "Қатысуы", "ru": "Посещаемость", "en": "Attendance"},
    "sessions": {"kk": "сабақ", "ru": "занятий", "en": "sessions"},
    "of": {"kk": "/", "ru": "из", "en": "of"},
    "score": {"kk": "Қорытынды тест", "ru": "Итоговый тест", "en": "Final test"},
    "issued": {"kk": "Берілген күні", "ru": "Дата выдачи", "en": "Issued on"},
    "verify": {"kk": "Тексеру", "ru": "Проверка", "en": "Verification"},
    "code": {"kk": "Тексеру коды", "ru": "Код проверки", "en": "Verification code"},
    "how": {
        "kk": "Сертификаттың жарамдылығын мына бетте кодпен тексеруге болады:",
        "ru": "Подлинность сертификата можно проверить по коду на странице:",
        "en": "Anyone can check this certificate with its code at:",
    },
    "revoked": {
        "kk": "БҰЛ СЕРТИФИКАТ КЕРІ ҚАЙТАРЫЛДЫ",
        "ru": "ЭТОТ СЕРТИФИКАТ ОТОЗВАН",
        "en": "THIS CERTIFICATE HAS BEEN REVOKED",
    },
}
ROLE_NAMES = {
    ParticipantRole.ADMINISTRATIVE_POLICE: {
        "kk": "әкімшілік полиция",
        "ru": "административная полиция",
        "en": "administrative police",
    },
    ParticipantRole.CRIMINAL_POLICE: {
        "kk": "криминалдық полиция",
        "ru": "криминальная полиция",
        "en": "criminal police",
    },
    ParticipantRole.MIGRATION_SERVICE: {
        "kk": "көші-қон қызметі",
        "ru": "миграционная служба",
        "en": "migration service",
    },
    ParticipantRole.REHAB_CENTRE: {
        "kk": "оңалту орталығының маманы",
        "ru": "специалист центра реабилитации",
        "en": "rehabilitation-centre specialist",
    },
    ParticipantRole.JUVENILE_CENTRE: {
        "kk": "кәмелетке толмағандар орталығының маманы",
        "ru": "специалист центра для несовершеннолетних",
        "en": "juvenile-centre specialist",
    },
    ParticipantRole.SOCIAL_SERVICES: {
        "kk": "әлеуметтік қызметтер",
        "ru": "социальные службы",
        "en": "social services",
    },
    ParticipantRole.PROSECUTOR: {
        "kk": "прокуратура",
        "ru": "прокуратура",
        "en": "prosecutor's office",
    },
    ParticipantRole.NGO: {
        "kk": "үкіметтік емес ұйым",
        "ru": "неправительственная организация",
        "en": "non-governmental organisation",
    },
    ParticipantRole.OTHER: {"kk": "басқа", "ru": "другое", "en": "other"},
}
LANGUAGES = ("kk", "ru", "en")


def verify_url(code: str) -> str:
    base = str(getattr(settings, "TANU_SITE_URL", "")).rstrip("/")
    return f"{base}{reverse('training:verify')}?code={code}"


def render_certificate(certificate: Certificate, standing: Standing, lang: str) -> bytes:
    lang = lang if lang in LANGUAGES else "ru"
    participant = certificate.participant
    seminar = participant.seminar

    def t(key: str) -> str:
        return TEXTS[key][lang]

    def day(value: date) -> str:
        with translation.override(lang):
            return str(formats.date_format(value, "SHORT_DATE_FORMAT"))

    agency = (
        getattr(participant.agency, f"name_{lang}", "") or participant.agency.name
        if participant.agency is not None
        else participant.agency_name
    )
    rows = [(t("participant"), participant.full_name)]
    if participant.position:
        rows.append((t("position"), participant.position))
    rows.append((t("agency"), agency))
    rows.append((t("role"), ROLE_NAMES.get(participant.role, {}).get(lang, participant.role)))  # type: ignore[call-overload]
    seminar_rows = [
        (t("seminar"), COURSE[lang]),
        (t("place"), seminar.city_in(lang)),
        (t("dates"), f"{day(seminar.starts_on)} – {day(seminar.ends_on)}"),
        (
            t("attendance"),
            f"{standing.attended} {t('of')} {standing.sessions} {t('sessions')}",
        ),
    ]
    if standing.post_score is not None:
        seminar_rows.append((t("score"), f"{standing.post_score:.0f}%"))
    sections = [
        Section(heading=t("intro"), rows=rows),
        Section(heading=t("seminar"), rows=seminar_rows),
        Section(
            heading=t("verify"),
            rows=[
                (t("code"), grouped(certificate.code)),
                (t("issued"), day(timezone.localdate(certificate.issued_at))),
            ],
            paragraphs=[t("how"), verify_url(certificate.code)],
        ),
    ]
    return render(
        t("title"),
        sections,
        subtitle=t("revoked") if certificate.revoked_at else COURSE[lang],
        footer="tanu",
    )
