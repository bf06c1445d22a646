from django.urls import path

from . import views

app_name = "papers"

urlpatterns = [
    path("ho-so/<int:dossier_pk>/<slug:kind>/soan/", views.start_draft, name="start"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/hoan-thanh/", views.finalise, name="finalise"),
    path("<int:pk>/thay-the/", views.replace, name="replace"),
    path("<int:pk>/xem-truoc.pdf", views.preview, name="preview"),
    path("<int:pk>/tep.pdf", views.paper_file, name="file"),
]
