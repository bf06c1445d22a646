from django.urls import path

from . import views

app_name = "areas"

urlpatterns = [
    path("", views.area_list, name="list"),
    path("cua-toi/", views.my_area, name="mine"),
    path("<int:pk>/", views.area_detail, name="detail"),
]
