"""Give a superuser the one-time-code device the admin asks for (`areas.admin_site`)."""

import base64

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from areas.models import User
from areas.permissions import Action, can


class Command(BaseCommand):
    help = (
        "Tạo thiết bị xác thực TOTP cho quản trị hệ thống (trang quản trị đòi mã một lần), "
        "in khóa để nhập vào ứng dụng xác thực."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}”.")
        if not can(user, Action.USE_ADMIN):
            raise CommandError("Chỉ tài khoản quản trị hệ thống (superuser, staff) được vào trang quản trị.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        created = device is None
        if created:
            device = TOTPDevice.objects.create(user=user, name="Trang quản trị", confirmed=True)
        self.stdout.write(f"Thiết bị TOTP: {'vừa tạo' if created else 'đã có'}")
        self.stdout.write(f"Khóa TOTP: {base64.b32encode(device.bin_key).decode()}")
        self.stdout.write(f"Địa chỉ cấu hình ứng dụng xác thực: {device.config_url}")
