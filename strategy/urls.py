from django.urls import path

from strategy import views

app_name = "strategy"

urlpatterns = [
    path("readiness/", views.readiness, name="readiness"),
    path("readiness/add-action/", views.add_to_action_plan, name="add_to_action_plan"),
    path("use-cases/", views.use_case_list, name="use_case_list"),
    path("use-cases/new/", views.use_case_edit, name="use_case_new"),
    path("use-cases/<int:pk>/edit/", views.use_case_edit, name="use_case_edit"),
    path("use-cases/<int:pk>/screening/", views.use_case_screening, name="use_case_screening"),
    path("action-plan/", views.action_plan, name="action_plan"),
    path("action-plan.csv", views.action_plan_csv, name="action_plan_csv"),
    path("documents/", views.documents, name="documents"),
    path("documents/<slug:kind>/", views.document, name="document"),
    path("documents/<slug:kind>/export/", views.export_request, name="export_request"),
    path("exports/<int:pk>/", views.export_status_page, name="export"),
    path("exports/<int:pk>/status.json", views.export_status_json, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
