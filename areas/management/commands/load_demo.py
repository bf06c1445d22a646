import importlib

from django.conf import settings
from django.core.management.base import BaseCommand

# Each app that ships demo data has a `demo` module with `load(units)`; they run in this order,
# each idempotent, so the command can be run again at any time.
DEMO_LOADERS = [
    "subjects.demo",
    "criteria.demo",
    "programmes.demo",
    "dossiers.demo",
    "reports.demo",
    "quality.demo",
]


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa (địa bàn, người dùng theo vai trò, sổ theo dõi…); chạy lại không tạo trùng."

    def handle(self, *args, **options):
        from areas import demo as area_demo

        units = area_demo.load()
        for dotted in DEMO_LOADERS:
            try:
                module = importlib.import_module(dotted)
            except ModuleNotFoundError as exc:
                if exc.name != dotted:
                    raise
                continue
            summary = module.load(units)
            if summary:
                self.stdout.write(f"{dotted}: {summary}")
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu minh họa."))
        self.stdout.write("")
        self.stdout.write(f"Tài khoản minh họa (mật khẩu chung: {settings.DEMO_PASSWORD}):")
        for username, role, unit_key, _body, _full_name, _position in area_demo.DEMO_USERS:
            unit = units[unit_key]
            self.stdout.write(f"  {username:<17} {role.label} — {unit}")
        self.stdout.write(f"  {'admin':<17} Quản trị hệ thống")
