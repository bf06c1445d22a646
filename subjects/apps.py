from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "subjects"
    verbose_name = "Sổ theo dõi"
