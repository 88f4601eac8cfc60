"""The shipped duties and framework, read and checked once per process.

The files change only with a deploy, so a process keeps its first reading; `clear()` is for
tests that point the settings at other files. The objects handed out are shared: read-only.
"""

from functools import cache
from pathlib import Path

from django.conf import settings

from strategy.law.loader import read_framework, read_obligations
from strategy.law.model import Framework, Obligations


def obligations_path() -> Path:
    return Path(
        getattr(settings, "LAW_OBLIGATIONS_FILE", settings.BASE_DIR / "fixtures/obligations.yaml")
    )


def framework_path() -> Path:
    return Path(
        getattr(settings, "LAW_FRAMEWORK_FILE", settings.BASE_DIR / "fixtures/nist-ai-rmf.yaml")
    )


def workbook_path() -> Path:
    return Path(settings.WORKBOOK_FILE)


@cache
def obligations() -> Obligations:
    return read_obligations(obligations_path(), workbook_path())


@cache
def framework() -> Framework:
    return read_framework(framework_path(), workbook_path())


def clear() -> None:
    obligations.cache_clear()
    framework.cache_clear()
