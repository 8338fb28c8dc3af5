from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from tanu.accounts.models import Agency, Region, Role, User

TEST_PASSWORD = "correct-horse-battery-staple-7"


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    kind = Agency.Kind.ADMINISTRATIVE_POLICE
    region = factory.LazyFunction(lambda: Region.objects.get(code="KZ-75"))
    name_en = factory.Sequence(lambda n: f"Agency {n}")
    name_ru = factory.Sequence(lambda n: f"Ведомство {n}")
    name_kk = factory.Sequence(lambda n: f"Мекеме {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.SCREENER
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()
