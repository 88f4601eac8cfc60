"""Document benchmarks: the Riverton strategy through the product's pipeline vs. WeasyPrint alone.

Each measurement runs in its own process (`python -m bench.documents MEASURE`), so its peak
resident memory (getrusage ru_maxrss) belongs to that measurement alone. Prints one JSON document.
Measures: pdf (pipeline), baseline (WeasyPrint on the pipeline's saved HTML), docx, export (a
cache miss, then a cache hit, through the export cache).
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbook.settings")

JURISDICTION = "riverton"
SAVED_HTML = ROOT / "bench-results" / "riverton-strategy.html"

# ---------------------------------------------------------------------------------------------
# ADAPTER — the only place that knows the document pipeline's entry points.
# Each entry lists "module:function" candidates, tried in order; the first that imports is used.
# Once the documents are merged, check the names (and the call in `call`) against strategy/ and
# correct them here. Expected shapes:
#   pdf(jurisdiction) -> bytes         the full strategy PDF, through the pipeline, no cache
#   html(jurisdiction) -> str          the HTML the PDF renderer gives WeasyPrint
#   docx(jurisdiction) -> bytes        the strategy as DOCX
#   export(jurisdiction) -> bytes      the PDF through the export cache (render on a miss)
ENTRY_POINTS: dict[str, list[str]] = {
    "pdf": [
        "strategy.pdf:render_strategy_pdf",
        "strategy.render:render_strategy_pdf",
        "strategy.renderers:render_strategy_pdf",
        "strategy.documents:render_strategy_pdf",
    ],
    "html": [
        "strategy.pdf:render_strategy_html",
        "strategy.render:render_strategy_html",
        "strategy.renderers:render_strategy_html",
        "strategy.documents:render_strategy_html",
    ],
    "docx": [
        "strategy.docx:render_strategy_docx",
        "strategy.render:render_strategy_docx",
        "strategy.renderers:render_strategy_docx",
        "strategy.documents:render_strategy_docx",
    ],
    "export": [
        "strategy.exports:export_document",
        "strategy.export:export_document",
        "strategy.cache:cached_export",
    ],
}


def call(kind: str, function: Callable, jurisdiction):
    """Call one entry point; adjust here if the merged functions take other arguments."""
    return function(jurisdiction)


def clear_export_cache(jurisdiction) -> None:
    """Forget the jurisdiction's cached exports so the next export is a miss (adjust on merge)."""
    try:
        models = importlib.import_module("strategy.models")
    except ImportError:
        return
    for name in ("Export", "ExportedDocument", "DocumentExport", "ExportCache"):
        model = getattr(models, name, None)
        if model is not None:
            model.objects.filter(jurisdiction=jurisdiction).delete()


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


def static_fetcher(url: str, *args, **kwargs):
    """The app's static files only, like the product's fetcher, so the baseline loads the same."""
    from django.contrib.staticfiles import finders
    from weasyprint.urls import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url)
    marker = "/static/"
    if marker in url:
        found = finders.find(url.split(marker, 1)[1].split("?")[0])
        if found:
            return {"string": Path(found).read_bytes(), "redirected_url": url}
    raise ValueError(f"refused: {url}")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str) -> dict:
    import django

    django.setup()
    from workbook.models import Jurisdiction

    jurisdiction = Jurisdiction.objects.filter(slug=JURISDICTION).first()
    if jurisdiction is None:
        return {"available": False, "why": "no Riverton demo jurisdiction (seed_demo)"}
    needed = {"baseline": "html"}.get(kind, kind)
    function = entry_point(needed)
    if function is None:
        return {"available": False, "why": f"no {needed} entry point in strategy/"}

    if kind == "baseline":
        import weasyprint

        html = call("html", function, jurisdiction)
        SAVED_HTML.parent.mkdir(exist_ok=True)
        SAVED_HTML.write_text(html, encoding="utf-8")
        before = peak_rss_mb()
        started = time.perf_counter()
        pdf = weasyprint.HTML(
            string=SAVED_HTML.read_text(encoding="utf-8"),
            base_url="http://127.0.0.1/",
            url_fetcher=static_fetcher,
        ).write_pdf(pdf_variant="pdf/ua-1")
        seconds = time.perf_counter() - started
        return {
            "available": True,
            "seconds": seconds,
            "bytes": len(pdf),
            "rss_mb": peak_rss_mb(),
            "rss_before_mb": before,
        }
    if kind == "export":
        clear_export_cache(jurisdiction)
        started = time.perf_counter()
        first = call(kind, function, jurisdiction)
        miss = time.perf_counter() - started
        started = time.perf_counter()
        second = call(kind, function, jurisdiction)
        hit = time.perf_counter() - started
        return {
            "available": True,
            "miss_seconds": miss,
            "hit_seconds": hit,
            "same_file": first == second,
            "rss_mb": peak_rss_mb(),
        }
    before = peak_rss_mb()
    started = time.perf_counter()
    output = call(kind, function, jurisdiction)
    seconds = time.perf_counter() - started
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
    except Exception as exc:  # reported in the table rather than stopping the benchmark
        result = {"available": False, "why": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(result))
