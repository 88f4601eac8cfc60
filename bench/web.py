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
    # The body as sent (downloads are compared byte for byte).
    raw: bytes = b""


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
            content = raw.read()
            data = content.decode("utf-8", "replace")
            set_cookies = {}
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    set_cookies[key.strip()] = rest.split(";", 1)[0]
            response = Response(
                raw.status, {k.lower(): v for k, v in raw.getheaders()}, data, set_cookies, content
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
    # Every value each radio group offers, checked or not.
    radio_options: dict[str, list[str]] = field(default_factory=dict)


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
        # Controls inside <template> (rows a script clones) are inert: a browser never sends them.
        self._template_depth = 0

    def handle_starttag(self, tag, attrs):  # noqa: C901 - one branch per form element
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "template":
            self._template_depth += 1
        if self._template_depth:
            return
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
            if kind == "radio":
                form.radio_options.setdefault(name, []).append(a.get("value", "on"))
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
        if tag == "template" and self._template_depth:
            self._template_depth -= 1
            return
        if self._template_depth:
            return
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


def find_forms(page: str) -> list[Form]:
    """Every form on the page, in page order."""
    parser = _FormParser()
    parser.feed(page)
    return parser.forms


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


@dataclass
class SaveBody:
    """A form body for repeated saves, with markers the load script fills in per request."""

    body: str
    # What each save changes, for the report.
    edit: str
    # The two values a flipped choice alternates between (@ALT@), if a choice is flipped.
    alternatives: tuple[str, str] | None = None

    def filled(self, version: int, n: int) -> str:
        """The body of save number `n` (from 1), sent at `version`, as save.lua fills it in."""
        alternative = self.alternatives[n % 2] if self.alternatives else ""
        return (
            self.body.replace("@VERSION@", str(version))
            .replace("@N@", str(n))
            .replace("@ALT@", alternative)
        )


# The fingerprints of the values the page was built from (workbook/wizard/posted.py). The page's
# script moves them on after each save; the saves here send none, so a save at the current
# version writes as sent instead of merging with the form's first values (a conflict each time).
MERGE_BASE_FIELD = "base"


def save_body(form: Form) -> SaveBody:
    """The form as rendered, with @VERSION@ as the version and one answer changed per save.

    A text answer gets " (save N)" appended (@N@); without text, a choice alternates between
    two of its options (@ALT@). Either way every save writes one answer, as a person's would.
    """
    version_name = version_field(form)
    text = next((n for n in form.text_fields if n != version_name), None)
    radio = None if text else next((n for n, v in form.radio_options.items() if len(v) >= 2), None)
    alternatives, edit = None, "no answer changed"
    if text:
        edit = f"each save appends to the text of '{text}'"
    elif radio:
        values = form.radio_options[radio]
        current = dict(form.fields).get(radio) or values[0]
        other = next(v for v in values if v != current)
        alternatives = (quote_plus(other), quote_plus(current))
        edit = f"each save flips the choice '{radio}' between two options"
    parts = []
    for name, value in form.fields + save_button(form):
        if name == MERGE_BASE_FIELD:
            continue
        encoded = quote_plus(value)
        if name == version_name:
            encoded = "@VERSION@"
        elif name == text:
            encoded = f"{encoded}+%28save+@N@%29"
        elif name == radio:
            encoded = "@ALT@"
        parts.append(f"{quote_plus(name)}={encoded}")
    if radio and radio not in dict(form.fields):
        parts.append(f"{quote_plus(radio)}=@ALT@")
    return SaveBody("&".join(parts), edit, alternatives)


def page_shows(page: str, text: str) -> bool:
    """Whether `text` appears on the page, as typed (the page escapes it)."""
    return text in html.unescape(page)
