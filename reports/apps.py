from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Kế hoạch và báo cáo"

    def ready(self) -> None:
        from areas.home import TASK_PROVIDERS

        from .home import report_tasks

        if report_tasks not in TASK_PROVIDERS:
            TASK_PROVIDERS.append(report_tasks)
