from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("danh-sach/", views.dossier_list, name="list"),
    path("dang-ky/", views.register, name="register"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/buoc/<slug:move>/", views.take_move, name="move"),
    path("<int:pk>/tai-lieu/", views.add_document, name="add_document"),
    path("<int:pk>/tai-lieu/<int:document_pk>/", views.document_file, name="document"),
    path("<int:pk>/y-kien/", views.add_opinion, name="add_opinion"),
    path("<int:pk>/bieu-quyet/", views.cast_vote, name="vote"),
    path("<int:pk>/tiep-nhan-ke-thua/", views.take_over, name="take_over"),
    path("<int:pk>/gui/<slug:move>/", views.send_up, name="send_up"),
    path("<int:pk>/tham-dinh/", views.appraise, name="appraise"),
    path("<int:pk>/de-nghi-y-kien/", views.request_opinions, name="request_opinions"),
    path("<int:pk>/ra-soat/", views.conclude_review, name="review"),
    path("<int:pk>/quyet-dinh-thu-hoi.pdf", views.revocation_file, name="revocation"),
    path("<int:pk>/quyet-dinh.pdf", views.decision_file, name="decision"),
]
