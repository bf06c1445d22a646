from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "subjects"
    verbose_name = "Sổ theo dõi"

    def ready(self) -> None:
        from areas.home import TASK_PROVIDERS

        from .views import register_tasks

        if register_tasks not in TASK_PROVIDERS:
            TASK_PROVIDERS.append(register_tasks)
