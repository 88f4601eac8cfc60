"""A document as a web page: its body rendered once per content version, in each process.

Composing the strategy and rendering its body is most of the page's time and most of its
queries; the content version (strategy.documents.versions) moves on every change that could
alter a word, so the body rendered for one version is the body of every request at that version.
"""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from strategy.documents.build import DOCUMENT_TEMPLATE, build_document
from strategy.documents.versions import read_version
from workbook.kept import Kept
from workbook.models import Jurisdiction

# Bodies kept per process, the least recently read dropped first: about 100 KB each.
bodies: Kept[tuple[str, SafeString]] = Kept(64)


def document_body(jurisdiction: Jurisdiction, kind: str) -> tuple[str, SafeString]:
    """The document's title and its body's HTML, as the page includes it."""
    version = read_version(jurisdiction)

    def render() -> tuple[str, SafeString]:
        document = build_document(jurisdiction, kind, version)
        # Rendered by the template engine, which escaped every answer: safe to include as is.
        body = render_to_string(f"{DOCUMENT_TEMPLATE}#body", {"document": document})
        return document.title, mark_safe(body)  # noqa: S308 - the template's autoescaped output

    # The date is in the key for a workbook never changed, whose document is dated today.
    return bodies.get((jurisdiction.pk, kind, version.key, version.date), render)
