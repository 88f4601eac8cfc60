"""The production settings with the floor routes of bench/urls.py added; nothing else changes.

bench/run.py starts the page runs' gunicorn with these settings, so the product's pages and
their floors are answered by one server in one run.
"""

from bench import captures
from workbook.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Where bench/run.py writes each page's captured response for the floor view.
BENCH_FLOOR_DIR = captures.FLOOR_DIR
