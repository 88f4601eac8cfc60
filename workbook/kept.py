"""Values made once and kept per process, the least recently used dropped first.

For markup that is a pure function of its key: whatever the key names is all the value
depends on, so a kept value can never be stale, only dropped. Thread-safe; making a value
happens outside the lock, so two requests may make the same one at once (both are equal).
"""

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


class Kept[V]:
    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept under `key`, made by `make()` and kept if there is none."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


# Kept markup holds no CSRF token of anyone's: it is made with this stand-in, and each request
# puts its own token in its place (`with_csrf_token`). Random per process, so that no text
# anyone typed into an answer can contain it.
CSRF_STAND_IN = f"kept-csrf-{secrets.token_hex(16)}"


@dataclass(frozen=True)
class PathOnly:
    """All kept markup may know of its request: its path, which forms post or send people back
    to. A key of kept markup names the full path."""

    path: str
    full_path: str

    def get_full_path(self) -> str:
        return self.full_path


def render_kept(request: HttpRequest, template_name: str, context: dict[str, Any]) -> str:
    """Markup for keeping, rendered from `context` and, of the request, only its path and the
    stand-in for the CSRF token: no context processor reaches it."""
    return render_to_string(
        template_name,
        {
            **context,
            "request": PathOnly(request.path, request.get_full_path()),
            "csrf_token": CSRF_STAND_IN,
        },
    )


def with_csrf_token(request: HttpRequest, markup: str) -> SafeString:
    """Kept markup, with this request's CSRF token where it has forms."""
    if CSRF_STAND_IN in markup:
        markup = markup.replace(CSRF_STAND_IN, get_token(request))
    return mark_safe(markup)  # noqa: S308 - rendered by the template engines, which escaped it
