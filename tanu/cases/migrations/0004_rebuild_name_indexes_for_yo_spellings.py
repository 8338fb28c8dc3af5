"""Name keys changed: «ё» / "yo" now key like «е» / "e" (Бахтиёр = Bakhtiyor). Persons indexed
before keep their old name keys and would be missed by search, so every person's name and
document indexes are rebuilt here, as tanu.cases.actions.reindex_person builds them."""

from django.db import migrations

from tanu.lib import crypto
from tanu.lib.translit import name_tokens

NAME_FIELDS = ("given_name", "family_name", "patronymic", "other_names")


def rebuild(apps, schema_editor):
    Person = apps.get_model("cases", "Person")
    PersonIndex = apps.get_model("cases", "PersonIndex")
    for person in Person.objects.order_by("pk").iterator(chunk_size=500):
        digests = set()
        for field in NAME_FIELDS:
            for token in name_tokens(getattr(person, field) or ""):
                digests.add(("name", crypto.blind_index(token, kind="name")))
        for doc in person.documents or []:
            number = str(doc.get("number", "")) if isinstance(doc, dict) else ""
            if number.strip():
                digests.add(("document", crypto.blind_index(number, kind="document")))
        PersonIndex.objects.filter(person_id=person.pk).delete()
        PersonIndex.objects.bulk_create(
            [PersonIndex(person_id=person.pk, kind=kind, digest=digest) for kind, digest in digests]
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_consent_names_service_agency_and_fields")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
