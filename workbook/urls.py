from django.contrib import admin
from django.urls import include, path

from . import views

workbook_patterns = (
    [
        path("", views.overview, name="overview"),
    ],
    "workbook",
)

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("j/<slug:jurisdiction_slug>/", include(workbook_patterns)),
    path("j/<slug:jurisdiction_slug>/", include("strategy.urls")),
    path("admin/", admin.site.urls),
]
