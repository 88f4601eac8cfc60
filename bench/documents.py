"""Document benchmarks: the Riverton strategy through the product's pipeline vs. WeasyPrint alone.

Each measurement runs in its own process (`python -m bench.documents MEASURE`), so its peak
resident memory (getrusage ru_maxrss) belongs to that measurement alone. Prints one JSON document.
Measures: pdf (pipeline, one render in a fresh process), baseline (WeasyPrint alone on the
pipeline's saved HTML, likewise), compare (the two alternating in one warm process: the ratio),
docx, export (a cache miss, then cache hits, through the export cache), prerender (click to
download through the pages, after the background pre-render and with a render in between).
"""

from __future__ import annotations

import importlib
import json
import mimetypes
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbook.settings")

JURISDICTION = "riverton"
SAVED_HTML = ROOT / "bench-results" / "riverton-strategy.html"
ROUNDS = 5
PRERENDER_ROUNDS = 3  # each renders five files

# ---------------------------------------------------------------------------------------------
# ADAPTER — the only place that knows the document pipeline's entry points ("module:function").
#   pdf(jurisdiction) -> bytes         the full strategy PDF, through the pipeline, no cache
#   html(jurisdiction) -> str          the HTML the PDF renderer gives WeasyPrint
#   docx(jurisdiction) -> bytes        the strategy as DOCX
#   export(jurisdiction) -> bytes      the PDF through the export cache (render on a miss)
ENTRY_POINTS: dict[str, list[str]] = {
    "pdf": ["bench.pipeline:render_strategy_pdf"],
    "html": ["bench.pipeline:render_strategy_html"],
    "docx": ["bench.pipeline:render_strategy_docx"],
    "export": ["strategy.exports.cache:export_document"],
}


def call(kind: str, function: Callable, jurisdiction):
    """Call one entry point (all take the jurisdiction; the export defaults to the strategy PDF)."""
    return function(jurisdiction)


def clear_export_cache(jurisdiction) -> None:
    """Forget the jurisdiction's stored exports so the next export is a cache miss."""
    from strategy.models import Export

    Export.objects.filter(jurisdiction=jurisdiction).delete()


# ---------------------------------------------------------------------------------------------


def entry_point(kind: str) -> Callable | None:
    for candidate in ENTRY_POINTS[kind]:
        module_name, _, attr = candidate.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        function = getattr(module, attr, None)
        if callable(function):
            return function
    return None


def baseline_fetcher():
    """A WeasyPrint fetcher serving the app's static files from disk, as the product's does.

    WeasyPrint 70 takes a URLFetcher instance. This one is written here rather than borrowed from
    strategy/pdf.py so the baseline shares no code with the pipeline it is compared with; it
    loads the same files (the document's CSS and fonts), so both sides do the same work.
    """
    import base64
    from urllib.parse import unquote, urlsplit

    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    def _in_static_root(name: str) -> str | None:
        # Production links hashed names (manifest storage) that only STATIC_ROOT holds.
        return staticfiles_storage.path(name) if staticfiles_storage.exists(name) else None

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                header, _, payload = url[5:].partition(",")
                body = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload)
                return URLFetcherResponse(url, body if isinstance(body, bytes) else body.encode())
            prefix = "/" + settings.STATIC_URL.lstrip("/")
            path = urlsplit(url).path
            name = unquote(path[len(prefix) :]) if path.startswith(prefix) else ""
            found = name and (finders.find(name) or _in_static_root(name))
            if not found:
                raise ValueError(f"refused: {url}")
            kind = "font/woff2" if found.endswith(".woff2") else mimetypes.guess_type(found)[0]
            return URLFetcherResponse(
                url, Path(found).read_bytes(), {"Content-Type": kind or "application/octet-stream"}
            )

    return StaticFilesFetcher(allow_redirects=False)


def edit_workbook(jurisdiction, round_no: int) -> None:
    """One save of the vision section by the editor, through the wizard's action."""
    from django.contrib.auth import get_user_model

    from workbook.answers.actions import save_section
    from workbook.models import Section, SectionProgress
    from workbook.security.access import JurisdictionAccess

    editor = get_user_model().objects.get(username=f"{JURISDICTION}-editor")
    section = Section.active.get(workbook=jurisdiction.workbook, slug="vision")
    progress = SectionProgress.objects.get(jurisdiction=jurisdiction, section=section)
    save_section(
        access=JurisdictionAccess.of(editor, jurisdiction),
        section=section,
        values={"vision-success": f"Every resident reaches a person within one day ({round_no})."},
        expected_version=progress.version,
    )


def run_prerender(jurisdiction) -> None:
    """What the worker does once the workbook has been quiet: the queued pre-render, then the
    renders it queued (only this jurisdiction's, so tasks left by the page load stay queued)."""
    from django_tasks_db.models import DBTaskResult

    from strategy.exports.prerender import prerender_documents
    from strategy.exports.render import run_export
    from strategy.models import Export

    queued = DBTaskResult.objects.filter(task_path=prerender_documents.module_path).ready()
    mine = [r for r in queued if r.args_kwargs["args"][0] == jurisdiction.pk]
    for result in mine:
        prerender_documents.call(*result.args_kwargs["args"])
    DBTaskResult.objects.filter(pk__in=[r.pk for r in mine]).delete()
    for pk in Export.objects.filter(jurisdiction=jurisdiction, status="pending").values_list(
        "pk", flat=True
    ):
        run_export(pk)


def click_to_download(client, jurisdiction, render_queued: Callable[[int], None]) -> bytes:
    """Export clicked on the documents page, the export's page, then the download."""
    response = client.post(f"/j/{JURISDICTION}/documents/strategy/export/", {"format": "pdf"})
    export_page = response["Location"]
    render_queued(int(export_page.rstrip("/").split("/")[-1]))
    if b"download/" not in client.get(export_page).content:
        raise RuntimeError("the export page offers no download")
    download = client.get(export_page + "download/")
    if download.status_code != 200:
        raise RuntimeError(f"download: status {download.status_code}")
    return download.content


def prerender_rounds(jurisdiction) -> dict:
    """Click to download on a workbook edited a while ago (pre-rendered) and on one just edited
    (the render runs between the click and the download, as an idle worker would run it).
    ABBA order; each round starts with an edit, so every round renders afresh."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from strategy.exports.render import run_export

    settings.PRERENDER_QUIET_SECONDS = 0  # "a while ago": the quiet time has passed
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=f"{JURISDICTION}-viewer"))
    warm, cold, background = [], [], []
    for round_no in range(PRERENDER_ROUNDS):
        for prerendered in (True, False) if round_no % 2 == 0 else (False, True):
            edit_workbook(jurisdiction, round_no * 2 + prerendered)
            if prerendered:
                seconds, _ = timed(run_prerender, jurisdiction)
                background.append(seconds)
                seconds, pdf = timed(click_to_download, client, jurisdiction, lambda pk: None)
                warm.append(seconds)
            else:
                seconds, pdf = timed(click_to_download, client, jurisdiction, run_export)
                cold.append(seconds)
            if not pdf.startswith(b"%PDF"):
                raise RuntimeError("the download is not a PDF")
    return {
        "available": True,
        "rounds": PRERENDER_ROUNDS,
        "warm": spread(warm),
        "cold": spread(cold),
        "prerender": spread(background),
        "ratio": statistics.median(warm) / statistics.median(cold),
    }


def spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def weasyprint_alone(html: str) -> bytes:
    """WeasyPrint on the saved HTML with the pipeline's base URL and output options."""
    import weasyprint

    from strategy.render.pdf import static_base_url

    return weasyprint.HTML(
        string=html, base_url=static_base_url(), url_fetcher=baseline_fetcher()
    ).write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)


def timed(function: Callable, *args) -> tuple[float, object]:
    started = time.perf_counter()
    output = function(*args)
    return time.perf_counter() - started, output


def measure(kind: str) -> dict:
    import django

    django.setup()
    from workbook.models import Jurisdiction

    jurisdiction = Jurisdiction.objects.filter(slug=JURISDICTION).first()
    if jurisdiction is None:
        return {"available": False, "why": "no Riverton demo jurisdiction (seed_demo)"}
    if kind == "prerender":
        return prerender_rounds(jurisdiction)
    needed = {"baseline": "html", "compare": "pdf"}.get(kind, kind)
    function = entry_point(needed)
    if function is None:
        return {"available": False, "why": f"no {needed} entry point in strategy/"}

    if kind in ("baseline", "compare"):
        html = call("html", entry_point("html"), jurisdiction)
        SAVED_HTML.parent.mkdir(exist_ok=True)
        SAVED_HTML.write_text(html, encoding="utf-8")
        html = SAVED_HTML.read_text(encoding="utf-8")
    if kind == "compare":
        # The ratio: pipeline and WeasyPrint alone alternate in one warm process, so the shared
        # machine's drifting load falls on both sides alike; the median of ROUNDS rounds' ratios.
        call("pdf", function, jurisdiction)
        weasyprint_alone(html)
        pipeline, alone, same = [], [], True
        for round_no in range(ROUNDS):
            # ABBA order: a drift in the machine's load during a round favors neither side.
            if round_no % 2 == 0:
                seconds, a = timed(call, "pdf", function, jurisdiction)
                pipeline.append(seconds)
                seconds, b = timed(weasyprint_alone, html)
                alone.append(seconds)
            else:
                seconds, b = timed(weasyprint_alone, html)
                alone.append(seconds)
                seconds, a = timed(call, "pdf", function, jurisdiction)
                pipeline.append(seconds)
            same = same and a == b
        return {
            "available": True,
            "pipeline_seconds": statistics.median(pipeline),
            "alone_seconds": statistics.median(alone),
            "ratio": statistics.median(p / a for p, a in zip(pipeline, alone, strict=True)),
            "rounds": ROUNDS,
            "same_bytes": same,
        }
    if kind == "export":
        clear_export_cache(jurisdiction)
        miss, first = timed(call, kind, function, jurisdiction)
        hits = [timed(call, kind, function, jurisdiction) for _ in range(ROUNDS)]
        return {
            "available": True,
            "miss_seconds": miss,
            "hit_seconds": statistics.median(h[0] for h in hits),
            "same_file": all(h[1] == first for h in hits),
            "rss_mb": peak_rss_mb(),
        }
    # One render in a fresh process (as the first export after a deploy): time and peak memory.
    before = peak_rss_mb()
    if kind == "baseline":
        seconds, output = timed(weasyprint_alone, html)
    else:
        seconds, output = timed(call, kind, function, jurisdiction)
    return {
        "available": True,
        "seconds": seconds,
        "bytes": len(output),
        "rss_mb": peak_rss_mb(),
        "rss_before_mb": before,
    }


if __name__ == "__main__":
    try:
        result = measure(sys.argv[1])
    except Exception as exc:  # noqa: BLE001 - reported in the table rather than stopping the benchmark
        result = {"available": False, "why": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(result))
