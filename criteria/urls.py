from django.urls import path

from . import views

app_name = "criteria"

urlpatterns = [
    path("", views.index, name="index"),
    path("bo-tieu-chi/<int:pk>/", views.set_detail, name="set_detail"),
    path("don-vi/<int:pk>/", views.scorecard, name="scorecard"),
    path("don-vi/<int:pk>/bang/", views.table, name="table"),
    path("don-vi/<int:pk>/tieu-chi/<int:criterion_pk>/minh-chung/", views.attest, name="attest"),
    path("minh-chung/<int:pk>/", views.evidence_document, name="evidence_document"),
]
