"""A document as a web page: its body rendered once per content version, in each process.

Composing the strategy and rendering its body is most of the page's time and a dozen queries;
the content version (strategy.documents.versions) moves on every change that could alter a
word, so the body rendered for one version is the body of every request at that version.
"""

from functools import lru_cache

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from strategy.documents.build import DOCUMENT_TEMPLATE, build_document
from strategy.documents.versions import content_version
from workbook.models import Jurisdiction

# Bodies kept per process, the most recently read first: about 100 KB each.
KEPT_BODIES = 64


def document_body(jurisdiction: Jurisdiction, kind: str) -> tuple[str, SafeString]:
    """The document's title and its body's HTML, as the page includes it."""
    # Today's date is in the key for a workbook never changed, whose document is dated today.
    return _rendered(jurisdiction.pk, kind, content_version(jurisdiction), timezone.localdate())


@lru_cache(maxsize=KEPT_BODIES)
def _rendered(jurisdiction_id: int, kind: str, content: str, today) -> tuple[str, SafeString]:
    jurisdiction = Jurisdiction.objects.select_related("workbook").get(pk=jurisdiction_id)
    document = build_document(jurisdiction, kind)
    # Rendered by the template engine, which escaped every answer: safe to include as it is.
    body = render_to_string(f"{DOCUMENT_TEMPLATE}#body", {"document": document})
    return document.title, mark_safe(body)  # noqa: S308 - the template's autoescaped output
