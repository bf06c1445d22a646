from django.apps import AppConfig


class CriteriaConfig(AppConfig):
    name = "criteria"
    verbose_name = "Tiêu chí"

    def ready(self) -> None:
        from areas.home import TASK_PROVIDERS

        from .home import village_progress_task

        if village_progress_task not in TASK_PROVIDERS:
            TASK_PROVIDERS.append(village_progress_task)
