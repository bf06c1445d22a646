from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("xuat-du-lieu/", views.export_list, name="exports"),
    path("xuat-du-lieu/<int:pk>/tai/", views.export_download, name="export_download"),
]
