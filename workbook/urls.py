from django.contrib import admin
from django.urls import include, path

from . import health, views
from .wizard import SectionWizard

workbook_patterns = (
    [
        path("", views.overview, name="overview"),
        path("workbook/", SectionWizard.as_view(), name="wizard"),
        path("workbook/review/", views.review, name="review"),
        path("workbook/<slug:step>/", SectionWizard.as_view(), name="section"),
        path(
            "workbook/<slug:step>/autosave/",
            SectionWizard.as_view(autosave=True),
            name="autosave",
        ),
    ],
    "workbook",
)

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("j/<slug:jurisdiction_slug>/", include(workbook_patterns)),
    path("j/<slug:jurisdiction_slug>/", include("strategy.urls")),
    path("admin/", admin.site.urls),
]
