"""A page's response, captured once from the running server, for its floor (bench/views.py),
and the SQL the page runs, for its floor with its reads.

bench/run.py writes a capture per page with a target before the load; the floor view serves it.
The statements are written by bench/django_side.py (`reads`), which sees the page's queries.
Plain files, no Django: the runner writes them without setting Django up.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

FLOOR_DIR = Path(__file__).resolve().parent.parent / "bench-results" / "floors"


@dataclass(frozen=True)
class Capture:
    # The method the page answers ("GET", or "POST" for a save).
    method: str
    status: int
    content_type: str
    body: bytes
    # Where a redirect points ("" for a page).
    location: str = ""
    # Whether the page asked for a CSRF token, so its response sets the CSRF cookie.
    csrf_cookie: bool = False


def save(directory: Path, key: str, capture: Capture) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{key}.body").write_bytes(capture.body)
    meta = {name: value for name, value in asdict(capture).items() if name != "body"}
    (directory / f"{key}.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


def load(directory: Path, key: str) -> Capture | None:
    meta_path, body_path = directory / f"{key}.json", directory / f"{key}.body"
    if not (meta_path.is_file() and body_path.is_file()):
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return Capture(**meta, body=body_path.read_bytes())


class ReadsRefused(ValueError):
    """The statements of a request cannot stand for the page's own reads."""


def is_read(sql: str) -> bool:
    return sql.strip().upper().startswith(("SELECT", "WITH"))


def page_reads(statements: list[str], sign_in_tables: Sequence[str]) -> list[str]:
    """The statements of one signed-in request to a page, without the reads every signed-in
    request makes first (`sign_in_tables`, in order: the session, read with its user).

    `login_required` makes those reads in the floor too, so the reads floor leaves them out;
    if the request did not start with them the statements are not what the floor assumes, and
    nothing is kept. Every kept statement must be a read: the floor runs them under load.
    """
    if len(statements) < len(sign_in_tables):
        raise ReadsRefused(
            f"the request ran {len(statements)} statements, not the sign-in reads first"
        )
    first = zip(statements, sign_in_tables, strict=False)
    for position, (sql, table) in enumerate(first, start=1):
        if not (is_read(sql) and f'FROM "{table}"' in sql):
            raise ReadsRefused(
                f"statement {position} of the request is not the read of {table}: {sql[:200]}"
            )
    kept = statements[len(sign_in_tables) :]
    for position, sql in enumerate(kept, start=len(sign_in_tables) + 1):
        if not is_read(sql):
            raise ReadsRefused(f"statement {position} of the request is not a SELECT: {sql[:200]}")
    return kept


def save_reads(directory: Path, key: str, path: str, statements: list[str]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    reads = {"path": path, "statements": statements}
    (directory / f"{key}.reads.json").write_text(json.dumps(reads, indent=2), encoding="utf-8")


def load_reads(directory: Path, key: str) -> list[str] | None:
    reads_path = directory / f"{key}.reads.json"
    if not reads_path.is_file():
        return None
    return json.loads(reads_path.read_text(encoding="utf-8"))["statements"]


def forget(directory: Path) -> None:
    """Drop an earlier run's captures and statements: a floor never serves another run's page
    (the statements are `<key>.reads.json`)."""
    for path in directory.glob("*.json"):
        path.unlink()
    for path in directory.glob("*.body"):
        path.unlink()
