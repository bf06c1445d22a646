from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = "Chất lượng dữ liệu"

    def ready(self) -> None:
        from areas.home import TASK_PROVIDERS

        from .home import quality_task

        if quality_task not in TASK_PROVIDERS:
            TASK_PROVIDERS.append(quality_task)
