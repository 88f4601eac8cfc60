"""The strategy through each stage of the document pipeline, with no cache and no limits.

Only the benchmark renders a document this way: the product goes through the export cache.
"""

from strategy.documents.build import build_document, document_html
from strategy.render.docx import render_docx
from strategy.render.pdf import render_pdf


def render_strategy_pdf(jurisdiction) -> bytes:
    return render_pdf(build_document(jurisdiction, "strategy"))


def render_strategy_html(jurisdiction) -> str:
    """The standalone HTML the PDF renderer gives WeasyPrint."""
    return document_html(build_document(jurisdiction, "strategy"))


def render_strategy_docx(jurisdiction) -> bytes:
    return render_docx(build_document(jurisdiction, "strategy"))
