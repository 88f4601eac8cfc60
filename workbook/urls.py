from django.contrib import admin
from django.urls import include, path

from . import health, views

workbook_patterns = (
    [
        path("", views.overview, name="overview"),
    ],
    "workbook",
)

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("j/<slug:jurisdiction_slug>/", include(workbook_patterns)),
    path("admin/", admin.site.urls),
]
