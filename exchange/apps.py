from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = "Trao đổi dữ liệu với hệ thống khác"
