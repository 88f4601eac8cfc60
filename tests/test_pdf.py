"""The strategy PDF: its content, accessibility tagging, table of contents, fonts, and the
static-only URL fetcher."""

import io
import re
import socket
import threading
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from strategy.documents.build import build_document
from strategy.documents.model import BulletList, Document, Paragraph, Table
from strategy.render.pdf import FetchRefused, html_to_pdf, render_pdf, static_only_fetcher
from tests.test_document_typography import pdf_body_text
from tests.test_documents import add_use_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def loopback():
    """A real listener on 127.0.0.1 that counts every connection made to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    state = SimpleNamespace(requests=0, url=f"http://127.0.0.1:{server.getsockname()[1]}")
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            state.requests += 1
            connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield state
    stop.set()
    thread.join(2)
    server.close()


@pytest.fixture
def strategy(demo) -> tuple[Document, PdfReader]:
    document = build_document(add_use_cases(demo), "strategy")
    return document, PdfReader(io.BytesIO(render_pdf(document)))


@pytest.fixture
def strategy_pdf(strategy) -> PdfReader:
    return strategy[1]


def squeeze(text: str) -> str:
    """Text without whitespace or hyphens, so words wrapped or hyphenated across lines match."""
    return re.sub(r"[\s\u2010-]", "", text)


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def test_content_of_the_strategy(strategy):
    """Everything the model holds is in the PDF: the cover, every section, paragraph, list item
    and table cell, and the numbered table captions."""
    document, reader = strategy
    text = squeeze(pdf_body_text(reader, document))
    assert squeeze(document.jurisdiction) in text and "DRAFT" in text
    expected = []
    for section in document.sections:
        expected.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                expected.append(block.text)
            elif isinstance(block, BulletList):
                expected += [block.lead, *block.items]
            elif isinstance(block, Table):
                expected += [f"Table {block.number}: {block.caption}", *block.headers]
                expected += [cell for row in block.rows for cell in row]
    assert len(expected) > 50
    missing = [e for e in expected if squeeze(e) not in text]
    assert missing == []
    assert "Page 1 of" in page_texts(reader)[0]


def test_tagged_for_accessibility(strategy_pdf):
    root = strategy_pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert strategy_pdf.metadata.title.startswith("City of Riverton AI Strategy")


def test_fonts_are_embedded_from_static(strategy_pdf):
    fonts = set()
    for page in strategy_pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor"
            )
            if descriptor is not None:
                descriptor = descriptor.get_object()
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts.add((str(font["/BaseFont"]).split("+")[-1], embedded))
    assert fonts and all(name.startswith("Source-Sans-Pro") for name, _ in fonts), fonts
    assert all(embedded for _, embedded in fonts), fonts


def test_table_of_contents_numbers_match_the_pages(strategy):
    document, strategy_pdf = strategy
    pages = page_texts(strategy_pdf)
    toc_page = next(i for i, text in enumerate(pages) if text.lstrip().startswith("Contents"))
    entries = re.findall(r"^(.+?)\s*\.{3,}\s*(\d+)\s*$", pages[toc_page], flags=re.MULTILINE)
    assert [title.strip() for title, _ in entries] == [s.title for s in document.sections]
    outline = {
        item.title: strategy_pdf.get_destination_page_number(item) + 1
        for item in strategy_pdf.outline
        if not isinstance(item, list)
    }
    children = [i for i in strategy_pdf.outline if isinstance(i, list)]
    for group in children:
        for item in group:
            if not isinstance(item, list):
                outline[item.title] = strategy_pdf.get_destination_page_number(item) + 1
    for heading, number in entries:
        number = int(number)
        lines = [line.strip() for line in pages[number - 1].splitlines()]
        assert heading.strip() in lines, (heading, number)
        assert outline[heading.strip()] == number, (heading, number, outline)
    # The pages are in order.
    numbers = [int(n) for _, n in entries]
    assert numbers == sorted(numbers) and numbers[0] > toc_page + 1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/x.css",
        "file:///etc/passwd",
        "ftp://127.0.0.1/x",
        "https://static.workbook.invalid/static/../../../etc/passwd",
        "https://static.workbook.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "https://static.workbook.invalid/static/css/..%2f..%2fsettings.py",
        "https://static.workbook.invalid/etc/passwd",
        "https://static.workbook.invalid.evil.example/static/css/document.css",
        "https://static.workbook.invalid/static/css/nothing-here.css",
    ],
)
def test_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises((FetchRefused, ValueError)):
        static_only_fetcher().fetch(url)


def test_fetcher_serves_static_files_and_data_urls():
    fetcher = static_only_fetcher()
    css = fetcher.fetch("https://static.workbook.invalid/static/css/document.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    font = fetcher.fetch(
        "https://static.workbook.invalid/static/uswds/fonts/source-sans-pro/"
        "sourcesanspro-regular-webfont.woff2"
    )
    assert font.read()[:4] == b"wOF2"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_renderer_loads_nothing_outside_static_even_from_raw_markup(loopback):
    """Defense in depth: even markup that escaped autoescaping could fetch nothing."""
    url = loopback.url
    html = f"""<!DOCTYPE html><html lang="en"><head><title>t</title>
      <link rel="stylesheet" href="{url}/style.css">
      <link rel="attachment" href="file:///etc/passwd" title="passwd">
      <link rel="attachment" href="{url}/attach.txt">
      <style>@import url("{url}/import.css"); body {{ background: url("{url}/bg.png"); }}
      @font-face {{ font-family: x; src: url("{url}/f.woff2"); }}</style></head>
      <body><img src="{url}/x.png" alt="x"><img src="file:///etc/passwd" alt="y">
      <a rel="attachment" href="file:///etc/hostname">z</a>
      <object data="{url}/o.svg"></object><iframe src="{url}/frame"></iframe></body></html>"""
    pdf = PdfReader(io.BytesIO(html_to_pdf(html)))
    assert loopback.requests == 0
    assert embedded_files(pdf) == 0


def embedded_files(reader: PdfReader) -> int:
    """Files attached to the PDF, document-level and on annotations."""
    count = 0
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        tree = names.get_object()["/EmbeddedFiles"].get_object()
        count += len(tree.get("/Names", [])) // 2
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                count += 1
    return count


def test_fetcher_serves_collected_files_under_their_hashed_names(settings, tmp_path):
    """In production the document links css/document.<hash>.css, which only STATIC_ROOT holds."""
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "document.0123abcd.css").write_bytes(b"h1 { color: black }")
    settings.STATIC_ROOT = str(tmp_path)
    css = static_only_fetcher().fetch(
        "https://static.workbook.invalid/static/css/document.0123abcd.css"
    )
    assert css.read() == b"h1 { color: black }"
    with pytest.raises(FetchRefused):
        static_only_fetcher().fetch("https://static.workbook.invalid/static/css/missing.1234.css")
