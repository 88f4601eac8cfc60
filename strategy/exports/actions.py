"""Requesting an export: the cached file for the current answers, or a render queued for it."""

from django.core.exceptions import PermissionDenied

from strategy.access import Reader
from strategy.answers import all_sections_approved
from strategy.exports.cache import find_or_create_export
from strategy.models import Export


class FinalExportRefused(PermissionDenied):
    """Only managers export the final (approved) documents."""


def request_export(reader: Reader, kind: str, fmt: str, user) -> Export:
    """The export of this document for the current answers, queued if not rendered yet.

    Refusing a viewer here only spares a render they could not download: whether the file is
    final is decided when it is composed, and the download checks that stored decision.
    """
    if all_sections_approved(reader.jurisdiction) and not reader.may_export_final:
        raise FinalExportRefused("Only a manager can export the final document.")
    return find_or_create_export(reader.jurisdiction, kind, fmt, user)
