from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AreasConfig(AppConfig):
    default = True  # this module also holds the admin's config below
    name = "areas"
    verbose_name = "Địa bàn và người dùng"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from config.sessions import stamp_on_login

        user_logged_in.connect(stamp_on_login, dispatch_uid="config.sessions.stamp_on_login")


class SecureAdminConfig(admin_apps.AdminConfig):
    """`django.contrib.admin` with `areas.admin_site.SecureAdminSite` as `admin.site`
    (superusers only, behind a one-time code); INSTALLED_APPS names this instead of the admin."""

    default = False
    default_site = "areas.admin_site.SecureAdminSite"
