"""The pages the benchmark loads: one row per page type.

To measure a new page, add a row. `path` may use {slug} (the jurisdiction being measured) and
{section} (its largest workbook section). A path the server answers with 404 — a page not built
or not merged yet — is reported as "not available", never as a failure of the run.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    path: str
    method: str = "GET"
    # Who loads it: "anonymous", "editor" (member of the measured jurisdiction) or "admin"
    # (a superuser, for the admin site).
    user: str = "editor"
    # Lowest acceptable throughput as a share of the bare view's, or None for no target.
    target: float | None = None
    # For POST rows: the page whose form is read and sent back (as a browser would).
    form_from: str | None = None


BARE = "bare"

PAGES: list[Page] = [
    Page(BARE, "Bare view (/healthz)", "/healthz", user="anonymous"),
    Page("dashboard", "Dashboard", "/", target=0.15),
    Page("overview", "Workbook overview", "/j/{slug}/"),
    Page("section", "Section (GET)", "/j/{slug}/workbook/{section}/", target=0.10),
    Page(
        "section-save",
        "Section save (POST)",
        "/j/{slug}/workbook/{section}/",
        method="POST",
        target=0.08,
        form_from="/j/{slug}/workbook/{section}/",
    ),
    Page("review", "Review page", "/j/{slug}/workbook/review/", target=0.15),
    Page(
        "strategy-html",
        "Strategy document (HTML)",
        "/j/{slug}/documents/strategy/",
        target=0.08,
    ),
    Page("admin-list", "Admin: jurisdiction list", "/admin/workbook/jurisdiction/", user="admin"),
]


def page(key: str) -> Page:
    return next(p for p in PAGES if p.key == key)


# Exports the scale-out check queues, one on each app server, as (document kind, format): the
# form is the documents page's, the background worker renders, the other server serves the file.
DOCUMENTS_PAGE = "/j/{slug}/documents/"
EXPORTS: list[tuple[str, str]] = [("strategy", "pdf"), ("strategy", "docx")]
