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
