import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _require_collected_static() -> None:
    """With DEBUG off, templates ask the manifest storage for hashed names; without
    `collectstatic` every page would be a 500. Refuse to start, saying what to run."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
    from django.core.exceptions import ImproperlyConfigured

    if settings.DEBUG or not isinstance(staticfiles_storage, ManifestFilesMixin):
        return
    manifest = os.path.join(str(settings.STATIC_ROOT), staticfiles_storage.manifest_name)
    if not os.path.exists(manifest):
        raise ImproperlyConfigured(
            f"DEBUG tắt nhưng chưa có {manifest}: hãy chạy `python manage.py collectstatic --noinput` "
            "(cùng STATIC_ROOT) trước khi khởi động gunicorn, nếu không mọi trang đều lỗi 500."
        )


_require_collected_static()
