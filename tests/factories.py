import factory

from areas.models import Area, User


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    level = "village"
    kind = "bản"
    name = factory.Sequence(lambda n: f"Bản Thử {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    password = factory.django.Password("mat-khau-thu-nghiem")


# ---------------------------------------------------------------- registers

import datetime as dt  # noqa: E402

from subjects import models as sm  # noqa: E402


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    birth_date = dt.date(1990, 1, 1)
    sex = sm.Sex.MALE
    village = factory.SubFactory(AreaFactory)
    residence_type = sm.ResidenceType.PERMANENT
    resident_since = dt.date(2010, 1, 1)
    presence = sm.Presence.PRESENT


class PersonStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.PersonStatus

    person = factory.SubFactory(PersonFactory)
    kind = sm.StatusKind.ADDICT
    start_date = dt.date(2023, 1, 1)


class ManagementFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.ManagementFile

    person = factory.SubFactory(PersonFactory)
    kind = sm.FileKind.ADDICT
    opened_on = dt.date(2023, 1, 15)
    responsible = "Công an xã"


class TreatmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.Treatment

    person = factory.SubFactory(PersonFactory)
    kind = sm.TreatmentKind.SUBSTITUTION
    medication = sm.Medication.METHADONE
    start_date = dt.date(2023, 2, 1)
    facility = "Cơ sở điều trị Methadone huyện"
    complies_with_rules = True
    uses_other_drugs = False


class DrugTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.DrugTest

    person = factory.SubFactory(PersonFactory)
    tested_on = dt.date(2024, 5, 1)
    result = sm.TestResult.NEGATIVE
    method = sm.TestMethod.KIT
    reason = sm.TestReason.PERIODIC


class DrugPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.DrugPoint

    village = factory.SubFactory(AreaFactory)
    kind = sm.PointKind.RETAIL
    description = factory.Sequence(lambda n: f"Nhà văn hóa cũ số {n}")
    found_on = dt.date(2023, 6, 1)


class CriminalGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.CriminalGroup

    village = factory.SubFactory(AreaFactory)
    kind = sm.GroupKind.GROUP
    name = factory.Sequence(lambda n: f"Ổ nhóm thử {n}")
    found_on = dt.date(2023, 6, 1)


class DrugCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.DrugCase

    village = factory.SubFactory(AreaFactory)
    kind = sm.CaseKind.CRIMINAL
    occurred_on = dt.date(2024, 3, 1)
    severity = sm.Severity.SERIOUS
    summary = "Tàng trữ trái phép chất ma túy"


class CultivationIncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.CultivationIncident

    village = factory.SubFactory(AreaFactory)
    plant = sm.Plant.POPPY
    season = "2023-2024"
    area_m2 = 120
    found_on = dt.date(2024, 2, 20)


class HouseholdCommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.HouseholdCommitment

    village = factory.SubFactory(AreaFactory)
    kind = sm.CommitmentKind.DRUG_FREE
    as_of = dt.date(2024, 4, 1)
    households = 80
    signed = 80


class HotlineBoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.HotlineBoard

    village = factory.SubFactory(AreaFactory)
    kind = sm.BoardKind.HOTLINE
    location = "Nhà văn hóa bản"
    installed_on = dt.date(2024, 1, 10)


class PreventionModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sm.PreventionModel

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Dòng họ không ma túy {n}")
    kind = sm.ModelKind.CLAN
    lead_organisation = "Hội Nông dân xã"
    established_on = dt.date(2023, 9, 1)
    is_active = True
    evaluated_effective = True
