from django.apps import AppConfig


class CriteriaConfig(AppConfig):
    name = "criteria"
    verbose_name = "Tiêu chí"

    def ready(self) -> None:
        from areas.home import TASK_PROVIDERS
        from areas.services import AFTER_IMPORT_HOOKS

        from .home import village_progress_task
        from .services import bind_shipped_sets

        if village_progress_task not in TASK_PROVIDERS:
            TASK_PROVIDERS.append(village_progress_task)
        if bind_shipped_sets not in AFTER_IMPORT_HOOKS:
            AFTER_IMPORT_HOOKS.append(bind_shipped_sets)
