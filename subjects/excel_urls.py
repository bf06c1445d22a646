"""Routes of the Excel import, included into the `subjects` URL space (hence no app_name here):
/so-theo-doi/nhap-excel/…"""

from django.urls import path

from . import excel_views

urlpatterns = [
    path("nhap-excel/", excel_views.import_start, name="import_start"),
    path("nhap-excel/tep-mau/", excel_views.import_template, name="import_template"),
    path("nhap-excel/xac-nhan/", excel_views.import_confirm, name="import_confirm"),
    path("nhap-excel/huy/", excel_views.import_cancel, name="import_cancel"),
    path("nhap-excel/ket-qua/", excel_views.import_done, name="import_done"),
]
