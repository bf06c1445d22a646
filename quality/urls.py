"""Data quality (“đúng, đủ, sạch, sống”), reconciliation rounds and responsible officers.
Only ids in URLs."""

from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("don-vi/<int:pk>/", views.unit_page, name="unit"),
    path("ra-soat/", views.rounds, name="rounds"),
    path("ra-soat/mo/", views.round_open, name="round_open"),
    path("ra-soat/<int:pk>/", views.round_detail, name="round"),
    path("ra-soat/<int:pk>/bao-cao.pdf", views.round_pdf, name="round_pdf"),
    path("ra-soat/<int:pk>/ket-thuc/", views.round_close, name="round_close"),
    path("ra-soat/xa/<int:pk>/", views.part_detail, name="part"),
    path("ra-soat/xa/<int:pk>/xac-minh/", views.part_verify, name="part_verify"),
    path("ra-soat/xa/<int:pk>/ket-thuc/", views.part_close, name="part_close"),
    path("ban-giao/", views.handover, name="handover"),
    path("doi-tuong/<int:pk>/can-bo/", views.assign, name="assign"),
]
