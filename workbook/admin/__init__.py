"""The facilitators' admin: Django's admin, themed and scoped to the jurisdictions they coach."""

from workbook.admin import site  # noqa: F401  (registers the models with the admin)
