from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from areas import views as area_views
from areas.account import LoginForm, LogoutView
from exchange.api import api as exchange_api

# `admin.site` is `areas.admin_site.SecureAdminSite`: superusers only, with a one-time code.
urlpatterns = [
    path("", area_views.home, name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("dang-xuat/", LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("dia-ban/", include("areas.urls")),
    path("so-theo-doi/", include("subjects.urls")),
    path("tieu-chi/", include("criteria.urls")),
    path("ho-so/", include("dossiers.urls")),
    path("bao-cao/", include("reports.urls")),
    path("so-van-ban-di/", include("registry.urls")),
    path("trao-doi/", include("exchange.urls")),
    path("api/v1/", exchange_api.urls),
    path("chat-luong/", include("quality.urls")),
    path("van-ban/", include("papers.urls")),
    path("quan-tri/", admin.site.urls),
]
