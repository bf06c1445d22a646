import base64

from django.core.management.base import BaseCommand, CommandError

from areas.models import User
from areas.permissions import DECIDING_ROLES, has_role
from dossiers.demo import otp_device
from dossiers.documents import committee_name
from dossiers.signing import ensure_signer, organisation_path, signer_path


class Command(BaseCommand):
    help = (
        "Chuẩn bị ký số cho Chủ tịch UBND (vai trò quyết định): cấp chứng thư số của người ký và của cơ quan "
        "từ CA minh họa nếu chưa có "
        "và tạo thiết bị xác thực TOTP, in khóa để nhập vào ứng dụng xác thực."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).select_related("area").first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}”.")
        if not has_role(user, DECIDING_ROLES) or user.area is None:
            raise CommandError(
                "Chỉ Chủ tịch UBND cấp quyết định (gắn với một đơn vị) ký quyết định công nhận."
            )
        had_certificate = signer_path(user).exists()
        path = ensure_signer(user, organisation=committee_name(user.area))
        device = otp_device(user)
        self.stdout.write(
            f"Chứng thư số: {path}{' (đã có)' if had_certificate else ' (vừa cấp, CA minh họa)'}"
        )
        if user.body is not None:
            self.stdout.write(f"Chứng thư số của cơ quan ({user.body.name}): {organisation_path(user.body)}")
        self.stdout.write(f"Khóa TOTP: {base64.b32encode(device.bin_key).decode()}")
        self.stdout.write(f"Địa chỉ cấu hình ứng dụng xác thực: {device.config_url}")
