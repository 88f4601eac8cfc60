"""Requesting an export: the cached file for the current answers, or a render queued for it."""

from django.core.exceptions import PermissionDenied

from strategy.documents.build import document_inputs
from strategy.exports.cache import find_or_create_export
from strategy.models import Export
from workbook.audit.record import record
from workbook.models import AuditKind
from workbook.security.access import Action, JurisdictionAccess


class FinalExportRefused(PermissionDenied):
    """Only managers export the final (approved) documents."""


def request_export(access: JurisdictionAccess, kind: str, fmt: str, request=None) -> Export:
    """The export of this document for the current answers, queued if not rendered yet.

    Refusing a viewer here only spares a render they could not download: whether the file is
    final is decided when it is composed, and the download checks that stored decision.
    """
    access.require(Action.EXPORT_DRAFT)
    if not access.can(Action.EXPORT_FINAL) and not document_inputs(access.jurisdiction).draft:
        raise FinalExportRefused("Only a manager can export the final document.")
    export = find_or_create_export(access.jurisdiction, kind, fmt, access.user)
    record(
        AuditKind.DOCUMENT_EXPORTED,
        user=access.user,
        jurisdiction=access.jurisdiction,
        request=request,
        document=kind,
        format=fmt,
        export=export.pk,
    )
    return export
