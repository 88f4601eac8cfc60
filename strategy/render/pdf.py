"""PDF rendering with WeasyPrint: tagged PDF/UA-1, fonts and CSS from the app's static files only.

The URL fetcher is the security boundary. Documents carry user text (autoescaped, so it never
becomes markup), but as a second line of defense WeasyPrint may load nothing except the app's
own static files and `data:` URLs: no network, no local files, no redirects.
"""

import base64
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation

from strategy.documents.build import document_html
from strategy.documents.model import Document

RENDERER_VERSION = "pdf-2"
# Static URLs in the document resolve against this reserved origin (".invalid" never resolves);
# the fetcher maps it to files found by the staticfiles finders and never opens a connection.
STATIC_ORIGIN = "https://static.workbook.invalid"
MAX_DATA_URL_BYTES = 2 * 1024 * 1024


class FetchRefused(ValueError):
    """WeasyPrint asked for a URL outside the app's static files."""


def static_base_url() -> str:
    return STATIC_ORIGIN + "/"


def static_path_for(url: str) -> str:
    """The static file path a URL names, or FetchRefused; path traversal is refused."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != STATIC_ORIGIN or parts.query or parts.fragment:
        raise FetchRefused(f"Refused to fetch {url!r}: only the app's static files are allowed.")
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if not parts.path.startswith(prefix):
        raise FetchRefused(f"Refused to fetch {url!r}: not under {prefix}.")
    relative = unquote(parts.path[len(prefix) :])
    normalised = posixpath.normpath(relative)
    if (
        not relative
        or "\x00" in relative
        or "\\" in relative
        or normalised.startswith(("/", ".."))
        or any(segment == ".." for segment in relative.split("/"))
    ):
        raise FetchRefused(f"Refused to fetch {url!r}: not a static file path.")
    return normalised


def _read_static(url: str) -> tuple[bytes, str]:
    path = static_path_for(url)
    try:
        found = finders.find(path)
    except SuspiciousFileOperation as exc:
        raise FetchRefused(f"Refused to fetch {url!r}: {exc}") from exc
    if not found:
        found = _collected_file(path)
    if not found:
        raise FetchRefused(f"Refused to fetch {url!r}: no such static file.")
    body = Path(found).read_bytes()
    mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if path.endswith(".woff2"):
        mime_type = "font/woff2"
    return body, mime_type


def _collected_file(path: str) -> str | None:
    """The file in STATIC_ROOT for a name only collectstatic knows, else None.

    With manifest storage (production) the document links hashed names such as
    css/document.<hash>.css, which exist in STATIC_ROOT but not in the finders' source folders.
    """
    try:
        if staticfiles_storage.exists(path):
            return staticfiles_storage.path(path)
    except (NotImplementedError, SuspiciousFileOperation):
        pass
    return None


def _read_data_url(url: str) -> tuple[bytes, str]:
    header, _, payload = url[len("data:") :].partition(",")
    if len(payload) > MAX_DATA_URL_BYTES:
        raise FetchRefused("Refused a data: URL larger than the limit.")
    mime_type = header.split(";")[0] or "text/plain"
    if header.endswith(";base64"):
        return base64.b64decode(payload), mime_type
    return unquote(payload).encode(), mime_type


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves the app's static files and data: URLs; refuses everything else."""

        def __init__(self):
            super().__init__(allowed_protocols=("https", "data"), allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            try:
                if url.startswith("data:"):
                    body, mime_type = _read_data_url(url)
                else:
                    body, mime_type = _read_static(url)
            except FetchRefused:
                self.refused.append(url)
                raise
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

        def open(self, url, data=None, timeout=None):  # never the network, whatever the caller
            target = url.full_url if hasattr(url, "full_url") else url
            return self.fetch(target)

    return StaticOnlyFetcher


def static_only_fetcher():
    """A fresh WeasyPrint URL fetcher limited to the app's static files and data: URLs."""
    return _fetcher_class()()


PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}


def laid_out(html: str):
    """The standalone document HTML laid out in pages (a WeasyPrint Document), before it is
    written as a PDF; the tests measure its pages."""
    from weasyprint import HTML

    return HTML(string=html, base_url=static_base_url(), url_fetcher=static_only_fetcher()).render(
        **PDF_OPTIONS
    )


def html_to_pdf(html: str) -> bytes:
    """Tagged PDF/UA-1 bytes from the standalone document HTML."""
    return laid_out(html).write_pdf(**PDF_OPTIONS)


def render_pdf(document: Document) -> bytes:
    return html_to_pdf(document_html(document))
