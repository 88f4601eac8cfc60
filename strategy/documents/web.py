"""A document as a web page: its body rendered once per content version, in each process.

Composing the strategy and rendering its body is most of the page's time and most of its
queries; the content version (strategy.documents.versions) moves on every change that could
alter a word, so the body rendered for one version is the body of every request at that version.
"""

import threading
from collections import OrderedDict

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from strategy.documents.build import DOCUMENT_TEMPLATE, build_document
from strategy.documents.versions import read_version
from workbook.models import Jurisdiction

# Bodies kept per process, the least recently read dropped first: about 100 KB each.
KEPT_BODIES = 64
_bodies: OrderedDict[tuple, tuple[str, SafeString]] = OrderedDict()
_lock = threading.Lock()


def document_body(jurisdiction: Jurisdiction, kind: str) -> tuple[str, SafeString]:
    """The document's title and its body's HTML, as the page includes it."""
    version = read_version(jurisdiction)
    # The date is in the key for a workbook never changed, whose document is dated today.
    key = (jurisdiction.pk, kind, version.key, version.date)
    with _lock:
        if key in _bodies:
            _bodies.move_to_end(key)
            return _bodies[key]
    document = build_document(jurisdiction, kind, version)
    # Rendered by the template engine, which escaped every answer: safe to include as it is.
    body = render_to_string(f"{DOCUMENT_TEMPLATE}#body", {"document": document})
    rendered = (document.title, mark_safe(body))  # noqa: S308 - the template's autoescaped output
    with _lock:
        _bodies[key] = rendered
        while len(_bodies) > KEPT_BODIES:
            _bodies.popitem(last=False)
    return rendered
