from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Hồ sơ công nhận"

    def ready(self) -> None:
        from areas.home import TASK_PROVIDERS
        from criteria.baselines import PROVIDERS as BASELINE_PROVIDERS

        from .home import dossier_tasks
        from .selectors import registration_baselines

        if dossier_tasks not in TASK_PROVIDERS:
            TASK_PROVIDERS.append(dossier_tasks)
        # The criterion "lower than at registration" reads the baseline frozen here.
        if registration_baselines not in BASELINE_PROVIDERS:
            BASELINE_PROVIDERS.append(registration_baselines)
