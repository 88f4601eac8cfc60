from django.urls import path

from strategy.documents import views as documents
from strategy.exports import views as exports
from strategy.law import views as law
from strategy.public import views as public
from strategy.register import views as register
from strategy.scoring import views as scoring

app_name = "strategy"

urlpatterns = [
    path("readiness/", scoring.readiness, name="readiness"),
    path("readiness/add-action/", scoring.add_to_action_plan, name="add_to_action_plan"),
    path("use-cases/", register.use_case_list, name="use_case_list"),
    path("use-cases/new/", register.use_case_edit, name="use_case_new"),
    path("use-cases/publish/", public.publish, name="register_publish"),
    path("use-cases/from-idea/", register.use_case_from_idea, name="use_case_from_idea"),
    path("use-cases/<int:pk>/edit/", register.use_case_edit, name="use_case_edit"),
    path("use-cases/<int:pk>/", register.use_case_detail, name="use_case_detail"),
    path("use-cases/<int:pk>/evidence/", register.use_case_evidence, name="use_case_evidence"),
    path("use-cases/<int:pk>/retire/", register.use_case_retire, name="use_case_retire"),
    path("use-cases/<int:pk>/screening/", register.use_case_screening, name="use_case_screening"),
    path("action-plan/", scoring.action_plan, name="action_plan"),
    path("action-plan.csv", scoring.action_plan_csv, name="action_plan_csv"),
    path("duties/", law.duties, name="duties"),
    path("crosswalk/", law.crosswalk, name="crosswalk"),
    path("documents/", documents.documents, name="documents"),
    path("documents/<slug:kind>/", documents.document, name="document"),
    path("documents/<slug:kind>/export/", exports.export_request, name="export_request"),
    path("exports/<int:pk>/", exports.export_status_page, name="export"),
    path("exports/<int:pk>/status.json", exports.export_status_json, name="export_status"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
]
