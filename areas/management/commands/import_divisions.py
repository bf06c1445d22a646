from django.core.management.base import BaseCommand

from areas.services import import_divisions


class Command(BaseCommand):
    help = "Nạp 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu (sau 01/7/2025) từ gói vietnam-provinces."

    def handle(self, *args, **options):
        results = import_divisions()
        for label, name in (("provinces", "tỉnh, thành phố"), ("communes", "xã, phường, đặc khu")):
            r = results[label]
            self.stdout.write(f"{name}: thêm mới {r.created}, cập nhật {r.updated}, không đổi {r.unchanged}")
        if not any(r.created or r.updated for r in results.values()):
            self.stdout.write(self.style.SUCCESS("Dữ liệu đã đầy đủ, không có thay đổi."))
        else:
            self.stdout.write(self.style.SUCCESS("Đã nạp xong danh mục đơn vị hành chính."))
