from django.apps import AppConfig


class WorkbookConfig(AppConfig):
    name = "workbook"
    verbose_name = "Workbook"

    def ready(self) -> None:
        # Signal receivers: audit log of sign-ins, ending a deactivated user's sessions.
        from . import accounts, audit  # noqa: F401
