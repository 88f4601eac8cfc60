"""A page's response, captured once from the running server, for its floor (bench/views.py).

bench/run.py writes a capture per page with a target before the load; the floor view serves it.
Plain files, no Django: the runner writes them without setting Django up.
"""

from __future__ import annotations

import json
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


def forget(directory: Path) -> None:
    """Drop an earlier run's captures: a floor never serves another run's page."""
    for path in directory.glob("*.json"):
        path.unlink()
    for path in directory.glob("*.body"):
        path.unlink()
