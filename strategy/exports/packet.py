"""The council packet: every document as a PDF, the public register as CSV, and a manifest.

The manifest lists each file with its SHA-256 and the packet's date, so the clerk can file
exactly what council saw. The ZIP is written with fixed timestamps: the same answers give the
same bytes. The packet is FINAL only when the strategy is; its documents share one
composition, so they never disagree on that.
"""

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from strategy.documents.build import document_inputs
from strategy.documents.compose import compose
from strategy.documents.inputs import DocumentInputs
from strategy.documents.model import (
    RESIDENT_SUMMARY,
    RESOLUTION,
    SOP,
    STAFF_REPORT,
    STRATEGY,
    Document,
)
from strategy.models import FILE_STEMS, DocumentKind
from strategy.public.register import csv_text, register_from
from workbook.answers.presenter import date_text
from workbook.models import Jurisdiction

PACKET_DOCUMENTS = (STRATEGY, SOP, STAFF_REPORT, RESOLUTION, RESIDENT_SUMMARY)
MANIFEST = "manifest.csv"
MANIFEST_HEADERS = ["File", "SHA-256", "Bytes", "Date", "Status"]
REGISTER_STEM = "ai-public-register"


@dataclass
class Packet:
    jurisdiction_slug: str
    inputs: DocumentInputs
    documents: list[Document]

    @property
    def draft(self) -> bool:
        return self.inputs.draft

    def file_name(self, stem: str, extension: str) -> str:
        return f"{self.jurisdiction_slug}-{stem}{'-draft' if self.draft else ''}.{extension}"


def compose_packet(jurisdiction: Jurisdiction) -> Packet:
    """The five documents, composed from one reading of the answers."""
    inputs = document_inputs(jurisdiction)
    return Packet(jurisdiction.slug, inputs, [compose(kind, inputs) for kind in PACKET_DOCUMENTS])


def packet_zip(packet: Packet, render_pdf: Callable[[Document], bytes]) -> bytes:
    """The ZIP of the packet, its PDFs rendered by `render_pdf` (the worker's bounded child)."""
    files = [
        (packet.file_name(FILE_STEMS[DocumentKind(d.kind)], "pdf"), render_pdf(d))
        for d in packet.documents
    ]
    # The public register exactly as residents download it (docs/public-register.md).
    public = register_from(
        packet.inputs.jurisdiction, packet.inputs.answers, packet.inputs.register
    )
    files.append((packet.file_name(REGISTER_STEM, "csv"), csv_text(public).encode("utf-8")))
    date = packet.inputs.date
    status = "DRAFT" if packet.draft else "FINAL"
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(MANIFEST_HEADERS)
    for name, content in files:
        writer.writerow(
            [name, hashlib.sha256(content).hexdigest(), len(content), date_text(date), status]
        )
    files.append((MANIFEST, manifest.getvalue().encode("utf-8")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            info = zipfile.ZipInfo(name, date_time=(date.year, date.month, date.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return out.getvalue()
