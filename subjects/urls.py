"""Routes of the registers, generated from the register configuration in `registers.REGISTERS`.
Person ids are the only thing in a URL; never a name or a CCCD."""

from django.urls import include, path

from . import registers, transfers, views

app_name = "subjects"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("nhat-ky-truy-cap/", views.AccessLogView.as_view(), name="access_log"),
    path("doi-tuong/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("chuyen-quan-ly/", transfers.TransferListView.as_view(), name="transfers"),
    path(
        "chuyen-quan-ly/<int:pk>/quyet-dinh/",
        transfers.TransferDecisionView.as_view(),
        name="transfer_decide",
    ),
]

for register in registers.LIST_PAGES:
    base, key = register.slug, register.key
    urlpatterns += [
        path(f"{base}/", views.ObjectListView.as_view(register=register), name=f"{key}_list"),
        path(f"{base}/xuat-excel/", views.ObjectExportView.as_view(register=register), name=f"{key}_export"),
    ]

for register in registers.LISTED_REGISTERS:
    base, key = register.slug, register.key
    urlpatterns += [
        path(f"{base}/them/", views.ObjectEditView.as_view(register=register), name=f"{key}_create"),
        path(f"{base}/<int:pk>/sua/", views.ObjectEditView.as_view(register=register), name=f"{key}_edit"),
        path(
            f"{base}/<int:pk>/lich-su/",
            views.ObjectHistoryView.as_view(register=register),
            name=f"{key}_history",
        ),
    ]
    if register is not registers.PERSONS:
        urlpatterns.append(
            path(f"{base}/<int:pk>/", views.ObjectDetailView.as_view(register=register), name=f"{key}_detail")
        )

for register in registers.PERSON_RECORDS:
    base, key = register.slug, register.key
    urlpatterns += [
        path(
            f"doi-tuong/<int:person_pk>/{base}/them/",
            views.ObjectEditView.as_view(register=register),
            name=f"{key}_create",
        ),
        path(f"{base}/<int:pk>/sua/", views.ObjectEditView.as_view(register=register), name=f"{key}_edit"),
        path(
            f"{base}/<int:pk>/lich-su/",
            views.ObjectHistoryView.as_view(register=register),
            name=f"{key}_history",
        ),
    ]

# The Excel import pages: their names live under "subjects:" too.
urlpatterns.append(path("", include("subjects.excel_urls")))
