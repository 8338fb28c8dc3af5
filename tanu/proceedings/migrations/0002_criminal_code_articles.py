"""The Criminal Code articles a trafficking case is most often registered under. Administrators
keep the list afterwards (names in kk, ru and en)."""

from django.db import migrations

ARTICLES = [
    ("125", "Адамды ұрлау", "Похищение человека", "Kidnapping"),
    (
        "126",
        "Бостандықтан заңсыз айыру",
        "Незаконное лишение свободы",
        "Unlawful deprivation of liberty",
    ),
    ("128", "Адам саудасы", "Торговля людьми", "Trafficking in persons"),
    (
        "135",
        "Кәмелетке толмағандардың саудасы",
        "Торговля несовершеннолетними",
        "Trafficking in minors",
    ),
    (
        "308",
        "Жезөкшелікпен айналысуға тарту",
        "Вовлечение в занятие проституцией",
        "Involving in prostitution",
    ),
    (
        "309",
        "Жезөкшелікпен айналысу үшін притондар ұйымдастыру немесе ұстау және жеңгетайлық",
        "Организация или содержание притонов для занятия проституцией и сводничество",
        "Organising or keeping brothels, and procuring",
    ),
]


def add(apps, schema_editor):
    Article = apps.get_model("proceedings", "Article")
    for number, kk, ru, en in ARTICLES:
        Article.objects.get_or_create(
            number=number, defaults={"name_kk": kk, "name_ru": ru, "name_en": en}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("proceedings", "0001_criminal_proceedings_articles_suspects_protection_hearings")
    ]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
