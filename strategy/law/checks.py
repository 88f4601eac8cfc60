"""`manage.py check` fails when the duties or framework file is malformed.

The files are read afresh here, not through the process cache, so the check reports the files
as they are on disk now.
"""

from django.core import checks

from strategy.law.content import framework_path, obligations_path, workbook_path
from strategy.law.loader import LawFileError, read_framework, read_obligations


@checks.register()
def law_content_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for read, path, code in (
        (read_obligations, obligations_path(), "strategy.E101"),
        (read_framework, framework_path(), "strategy.E102"),
    ):
        try:
            read(path, workbook_path())
        except LawFileError as exc:
            errors.append(checks.Error(str(exc), hint="See docs/law-content.md.", id=code))
    return errors
