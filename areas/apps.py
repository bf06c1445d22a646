from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "areas"
    verbose_name = "Địa bàn và người dùng"
