from django.apps import AppConfig


class WorkbookConfig(AppConfig):
    name = "workbook"
    verbose_name = "Workbook"

    def ready(self) -> None:
        # Signal receivers: audit log of sign-ins, ending a deactivated user's sessions.
        from django.db.models.signals import post_migrate

        from workbook.admin.facilitators import ensure_facilitator_group
        from workbook.audit import record  # noqa: F401
        from workbook.security import sessions  # noqa: F401

        # Permissions exist only after migrate, so the group is (re)built then, in every install.
        post_migrate.connect(ensure_facilitator_group, sender=self)
