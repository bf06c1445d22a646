from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("toan-quoc/", views.national, name="national"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan"),
    path("danh-sach/", views.report_list, name="reports"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/lich-su/", views.report_history, name="history"),
    path("qua-han/", views.overdue, name="overdue"),
    path("<int:pk>/tai-ve/<str:fmt>/", views.report_download, name="download"),
]
