"""A small standard-library HTTP client for the benchmarks: sign-in, cookies and forms.

Forms are read from the page and sent back the way a browser would, so the benchmarks need no
knowledge of field names: whatever the page renders is what gets posted.
"""

from __future__ import annotations

import html
import http.client
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_plus, urlencode

TIMEOUT = 30


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    set_cookies: dict[str, str]


@dataclass
class Session:
    """One browser: cookies kept across requests to a server at host:port."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, body: str | None = None) -> Response:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            data = raw.read().decode("utf-8", "replace")
            set_cookies = {}
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    set_cookies[key.strip()] = rest.split(";", 1)[0]
            response = Response(
                raw.status, {k.lower(): v for k, v in raw.getheaders()}, data, set_cookies
            )
        finally:
            connection.close()
        for key, value in response.set_cookies.items():
            if value in ("", '""'):
                self.cookies.pop(key, None)
            else:
                self.cookies[key] = value
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: list[tuple[str, str]]) -> Response:
        return self.request("POST", path, urlencode(fields))

    def sign_in(self, username: str, password: str, login_path: str = "/accounts/login/") -> None:
        """Sign in through the real login form; raises if the server did not accept it."""
        page = self.get(login_path)
        form = find_form(page.body)
        fields = [(n, v) for n, v in form.fields if n not in ("username", "password")]
        fields += [("username", username), ("password", password)]
        response = self.post(login_path, fields)
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"Sign-in as {username} failed (status {response.status}).")


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]]
    # (name, value, label text) of each named submit button, in page order.
    buttons: list[tuple[str, str, str]]
    # Names of free-text controls (text inputs and textareas), in page order.
    text_fields: list[str]


class _FormParser(HTMLParser):
    TEXT_INPUTS = {"text", "search", "email", "url", "tel", ""}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._option_text: list[str] | None = None
        self._textarea: str | None = None
        self._textarea_text: list[str] = []
        self._button: tuple[str, str] | None = None
        self._button_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower(), [], [], [])
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind in ("submit", "image"):
                form.buttons.append((name, a.get("value", ""), a.get("value", "")))
            elif kind not in ("button", "reset", "file"):
                form.fields.append((name, a.get("value", "")))
                if kind in self.TEXT_INPUTS:
                    form.text_fields.append(name)
        elif tag == "textarea" and name:
            self._textarea, self._textarea_text = name, []
        elif tag == "select" and name:
            self._select, self._options = (name, "multiple" in a), []
        elif tag == "option" and self._select:
            self._options.append((a.get("value"), "selected" in a))
            self._option_text = [] if a.get("value") is None else None
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            self._button, self._button_text = (name, a.get("value", "")), []

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea_text.append(data)
        if self._option_text is not None:
            self._option_text.append(data)
        if self._button is not None:
            self._button_text.append(data)

    def handle_endtag(self, tag):
        form = self._form
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and form is not None:
            text = "".join(self._textarea_text)
            form.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            form.text_fields.append(self._textarea)
            self._textarea = None
        elif tag == "option" and self._option_text is not None and self._options:
            value, selected = self._options[-1]
            self._options[-1] = ("".join(self._option_text).strip(), selected)
            self._option_text = None
        elif tag == "select" and self._select is not None and form is not None:
            name, multiple = self._select
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            form.fields.extend((name, v or "") for v in chosen)
            self._select = None
        elif tag == "button" and self._button is not None and form is not None:
            name, value = self._button
            form.buttons.append((name, value, "".join(self._button_text).strip()))
            self._button = None


def find_form(page: str, method: str = "post") -> Form:
    """The page's main form of that method: the one with the most fields."""
    parser = _FormParser()
    parser.feed(page)
    forms = [f for f in parser.forms if f.method == method]
    if not forms:
        raise ValueError(f"No {method.upper()} form on the page.")
    return max(forms, key=lambda f: len(f.fields))


def save_button(form: Form) -> list[tuple[str, str]]:
    """The field a browser sends for the form's "Save" button (nothing if it has none)."""
    for name, value, label in form.buttons:
        if re.search(r"save", f"{name} {value} {label}", re.IGNORECASE):
            return [(name, value)]
    return []


def version_field(form: Form) -> str | None:
    """The hidden field that carries the version the page was loaded at, if the form has one."""
    for name, _ in form.fields:
        if re.search(r"(^|[-_])version$", name):
            return name
    return None


def encode_with_markers(
    fields: list[tuple[str, str]], version_name: str | None, edited: str | None
) -> str:
    """URL-encode `fields`, leaving @VERSION@ as the version and @N@ after the edited text.

    The load script fills both in for each request, so every save carries the current version
    and really changes one answer.
    """
    parts = []
    for name, value in fields:
        encoded = quote_plus(value)
        if name == version_name:
            encoded = "@VERSION@"
        elif name == edited:
            encoded = f"{encoded}+%28save+@N@%29"
        parts.append(f"{quote_plus(name)}={encoded}")
    return "&".join(parts)


def page_shows(page: str, text: str) -> bool:
    """Whether `text` appears on the page, as typed (the page escapes it)."""
    return text in html.unescape(page)
