from django.contrib import admin
from django.contrib.auth import urls as auth_urls
from django.contrib.auth import views as auth_views
from django.urls import include, path

from workbook import health
from workbook.comments import views as comment_views
from workbook.notifications import views as notification_views
from workbook.security import throttle
from workbook.teams import forms as team_forms
from workbook.teams import views as team_views
from workbook.wizard import review
from workbook.wizard.views import SectionWizard
from workbook.workflow import views as workflow_views

workbook_patterns = (
    [
        path("", workflow_views.overview, name="overview"),
        path("workbook/", SectionWizard.as_view(), name="wizard"),
        path("workbook/review/", review.review, name="review"),
        path("workbook/<slug:step>/", SectionWizard.as_view(), name="section"),
        path(
            "workbook/<slug:step>/autosave/",
            SectionWizard.as_view(autosave=True),
            name="autosave",
        ),
        # Team, section review and comments (team_views).
        path("team/", team_views.team, name="team"),
        path("team/invite/", team_views.invite, name="invite"),
        path("team/members/<int:membership_id>/role/", team_views.change_role, name="change_role"),
        path(
            "team/members/<int:membership_id>/remove/",
            team_views.remove_member,
            name="remove_member",
        ),
        path(
            "team/invitations/<int:invitation_id>/revoke/",
            team_views.revoke_invitation,
            name="revoke_invitation",
        ),
        path(
            "sections/<slug:section_slug>/assign/",
            workflow_views.assign_section,
            name="assign_section",
        ),
        path("sections/approve/", workflow_views.approve_sections, name="approve_sections"),
        path(
            "sections/<slug:section_slug>/approve/",
            workflow_views.approve_section,
            name="approve_section",
        ),
        path(
            "sections/<slug:section_slug>/reopen/",
            workflow_views.reopen_section,
            name="reopen_section",
        ),
        path(
            "sections/<slug:section_slug>/comments/",
            comment_views.section_comments,
            name="section_comments",
        ),
        path(
            "comments/<int:comment_id>/reply/",
            comment_views.reply_to_comment,
            name="reply_to_comment",
        ),
        path(
            "comments/<int:comment_id>/resolve/",
            comment_views.resolve_comment,
            name="resolve_comment",
        ),
        path(
            "comments/<int:comment_id>/reopen/", comment_views.reopen_comment, name="reopen_comment"
        ),
    ],
    "workbook",
)

# Django's sign-in and password views, with its password reset replaced by the throttled one
# and the forms a person types into speaking in the product's words.
ACCOUNT_FORM_VIEWS = {"login", "password_reset", "password_reset_confirm"}
account_patterns = [
    path("login/", auth_views.LoginView.as_view(form_class=team_forms.SignInForm), name="login"),
    path(
        "password_reset/",
        throttle.PasswordResetView.as_view(form_class=team_forms.PasswordResetRequestForm),
        name="password_reset",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=team_forms.NewPasswordForm),
        name="password_reset_confirm",
    ),
    *(p for p in auth_urls.urlpatterns if getattr(p, "name", None) not in ACCOUNT_FORM_VIEWS),
]

urlpatterns = [
    path("", workflow_views.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path(
        "accounts/notifications/",
        notification_views.notification_settings,
        name="notification_settings",
    ),
    path("accounts/", include(account_patterns)),
    path("j/<slug:jurisdiction_slug>/", include(workbook_patterns)),
    path("j/<slug:jurisdiction_slug>/", include("strategy.urls")),
    path("public/<slug:jurisdiction_slug>/ai/", include("strategy.public.urls")),
    path("invitations/<str:token>/", team_views.invitation, name="invitation"),
    path("admin/", admin.site.urls),
]

handler500 = "workbook.errors.server_error"
