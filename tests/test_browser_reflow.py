"""Reflow (WCAG 2.1 SC 1.4.10) in a real Chromium: at 320 CSS px no page scrolls sideways.

Every page each role reaches outside the admin is found from the URLconf (the URL sweep's
project_routes), filled with the demo City of Riverton's data, so tables have rows and answers
have text. On each page the document is no wider than the window, and nothing sticks out of it
except inside a region that scrolls on its own: such a region must be labeled and reachable by
keyboard (role="region", a label, tabindex="0").
"""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from strategy.documents.build import DOCUMENT_KINDS
from strategy.models import Export
from strategy.public.actions import publish_register
from tests.sweep_support import World
from tests.team_fixtures import Team
from tests.test_url_sweep import project_routes, url_for
from workbook.comments.actions import add_comment
from workbook.models import Role, Section, UseCase
from workbook.security.access import JurisdictionAccess
from workbook.teams.actions import invite_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-123"
NARROW = {"width": 320, "height": 640}
# The roles, each by a demo login of Riverton (the facilitator coaches it).
SIGNED_IN = {
    "editor": "riverton-editor",
    "manager": "riverton-manager",
    "viewer": "riverton-viewer",
    "facilitator": "facilitator",
}
# Typed by people, not by the content: the kind of text that pushes a page wider than a phone.
LONG_LINK = "https://www.riverton.example.gov/departments/public-works/storm-drains/schedule-2027"

# The elements wider than the window, or starting left of it, that are not inside a scroll
# region, and the scroll regions that scroll but cannot be found or named by a keyboard user.
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const regions = ".app-table-scroll, .usa-table-container--scrollable";
  const hidden = ".usa-sr-only, .app-default-action, [hidden]";
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].slice(0, 3).map((c) => "." + c).join("");
  // Only the outermost element sticking out is named: its descendants follow it out.
  const out = new Set(), sticking = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(hidden) || el.parentElement.closest(regions)) continue;
    const box = el.getBoundingClientRect();
    // Wholly left of the page is the off-screen way of hiding: nothing there can be scrolled to.
    if (box.width === 0 || box.height === 0 || box.right <= 0) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      out.add(el);
      if (out.has(el.parentElement)) continue;
      sticking.push(`${name(el)} [${Math.round(box.left)}, ${Math.round(box.right)}]`);
    }
  }
  // Text overflows its box without widening it: a long word or link is measured on its own.
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (texts.nextNode()) {
    const parent = texts.currentNode.parentElement;
    const skip = parent.closest(hidden) || parent.closest(regions) || out.has(parent);
    if (!texts.currentNode.data.trim() || skip) continue;
    range.selectNodeContents(texts.currentNode);
    const box = range.getBoundingClientRect();
    if (box.right > width + 0.5) {
      sticking.push(`text "${texts.currentNode.data.trim().slice(0, 40)}" in ${name(parent)}`);
    }
  }
  const scrolling = [], unnamed = [];
  for (const region of document.querySelectorAll(regions)) {
    if (region.scrollWidth <= region.clientWidth) continue;
    const label = region.getAttribute("aria-label") || region.getAttribute("aria-labelledby");
    scrolling.push(label || name(region));
    if (region.getAttribute("role") !== "region" || !label || region.tabIndex !== 0) {
      unnamed.push(name(region));
    }
  }
  return {
    documentWidth: document.documentElement.scrollWidth,
    width,
    sticking: sticking.slice(0, 5),
    scrolling,
    unnamed,
  };
}"""


def riverton_world(demo) -> World:
    """The demo Riverton, with one object of each kind its URLs name (the URL sweep's World)."""
    editor, manager = demo["riverton-editor"], demo["riverton-manager"]
    jurisdiction = editor.memberships.get().jurisdiction
    team = Team(jurisdiction, manager, editor, demo["riverton-viewer"])
    managing = JurisdictionAccess.of(manager, jurisdiction)
    section = Section.active.get(workbook=jurisdiction.workbook, slug="inventory")
    comment = add_comment(
        access=managing, section=section, body=f"The drain schedule is at {LONG_LINK}"
    )
    add_comment(
        access=JurisdictionAccess.of(editor, jurisdiction),
        section=section,
        body="Added it to the inventory.",
        parent=comment,
    )
    tokens = []
    invitation = invite_member(
        access=managing,
        email="new.analyst@riverton.example.gov",
        role=Role.EDITOR,
        link_for=lambda token: tokens.append(token) or f"/invitations/{token}/",
    )
    export = Export.objects.create(
        jurisdiction=jurisdiction,
        kind="strategy",
        format="pdf",
        cache_key="reflow-riverton",
        status="done",
        content=b"%PDF-1.7 sample",
        size=15,
    )
    publish_register(access=managing)
    use_case = UseCase.objects.filter(jurisdiction=jurisdiction).order_by("pk").first()
    return World(
        team,
        section,
        section,
        team.membership(editor),
        invitation,
        tokens[0],
        comment,
        comment,
        use_case,
        export,
    )


def member_pages(world: World) -> list[str]:
    """Every URL of the app a signed-in person may open: each section and document kind too."""
    slug = world.jurisdiction.slug
    urls = [reverse("password_change"), reverse("password_change_done")]
    for route in project_routes()[0]:
        if route.name == "workbook:section":
            sections = Section.active.filter(
                workbook=world.jurisdiction.workbook, scope=Section.Scope.JURISDICTION
            )
            urls += [reverse(route.name, args=[slug, s.slug]) for s in sections]
        elif route.name == "strategy:document":
            urls += [reverse(route.name, args=[slug, kind]) for kind in DOCUMENT_KINDS]
        elif not route.name.startswith("public:") and route.name != "invitation":
            urls.append(url_for(route, world))
    return urls


def signed_out_pages(world: World, demo) -> list[str]:
    slug = world.jurisdiction.slug
    user = demo["riverton-editor"]
    reset = (urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user))
    names = ("login", "password_reset", "password_reset_done", "password_reset_complete")
    return [
        *(reverse(name) for name in names),
        reverse("password_reset_confirm", args=reset),
        reverse("invitation", args=[world.token]),
        reverse("public:register", args=[slug]),
        reverse("public:entry", args=[slug, world.use_case.pk]),
        reverse("public:summary", args=[slug]),
    ]


def sign_in(page, base, username):
    page.goto(base + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


class Sweep:
    """One browser context at 320 px, opening pages and noting what makes them too wide."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport=NARROW)
        self.page = self.context.new_page()
        self.found: list[str] = []
        self.regions: list[str] = []

    def measure(self, url):
        """Open the page and note what makes it wider than the window, if it is a page.

        Asked first outside the tab: for a download or an empty 405 Chromium shows an error
        page of its own, which cuts the next visit short (and a route on the tab's own
        request, the other way to look first, turns the browser's cache off: slower).
        """
        probe = self.page.request.get(url)
        if "text/html" not in probe.headers.get("content-type", "") or not probe.body():
            return  # a download, or a form's target that answers GET with an empty 405
        self.page.goto(url)
        seen = self.page.evaluate(MEASURE)
        path = url.split("://", 1)[-1].split("/", 1)[-1]
        if seen["documentWidth"] > seen["width"] or seen["sticking"] or seen["unnamed"]:
            self.found.append(
                f"/{path}: {seen['documentWidth']} px wide; sticking out: {seen['sticking']}; "
                f"scroll regions without a name or focus: {seen['unnamed']}"
            )
        if seen["scrolling"]:
            self.regions.append(f"/{path}: {seen['scrolling']}")

    def report(self):
        self.context.close()
        print("\nPages with a table that scrolls in its own region:", *self.regions, sep="\n  ")
        assert not self.found, "Pages wider than 320 px:\n" + "\n".join(self.found)


def serving(html: str, status: int):
    def fulfill(route):
        route.fulfill(status=status, body=html, content_type="text/html; charset=utf-8")

    return fulfill


# One test per role, so that the test workers share the sweep.
@pytest.mark.parametrize("role", SIGNED_IN)
def test_no_page_a_role_reaches_scrolls_sideways_at_320_px(live_server, browser, demo, role):
    world = riverton_world(demo)
    sweep = Sweep(browser)
    sign_in(sweep.page, live_server.url, SIGNED_IN[role])
    for url in member_pages(world):
        sweep.measure(live_server.url + url)
    sweep.report()


def test_no_signed_out_page_or_error_page_scrolls_sideways_at_320_px(live_server, browser, demo):
    world = riverton_world(demo)
    sweep = Sweep(browser)
    for url in signed_out_pages(world, demo):
        sweep.measure(live_server.url + url)
    # The error pages, served in place of a page so they load the site's own styles.
    for status in (400, 403, 404, 500, 503):
        url = f"{live_server.url}/j/riverton/workbook/inventory/?error={status}"
        html = render_to_string(f"{status}.html", {"was_a_save": True, "path": "/"})
        sweep.page.route(url, serving(html, status))
        sweep.measure(url)
    sweep.report()


def test_on_a_phone_the_questions_come_first_and_the_save_status_stays_in_view(
    live_server, browser, demo
):
    base = live_server.url
    phone = {"width": 390, "height": 844}
    context = browser.new_context(viewport=phone)
    page = context.new_page()
    sign_in(page, base, "riverton-editor")
    page.goto(base + reverse("workbook:section", args=["riverton", "profile"]))

    steps = page.locator("[data-side-steps]")
    expect(steps).not_to_have_attribute("open", "")
    first = page.locator(".app-question__label").first.bounding_box()
    assert first["y"] + first["height"] <= phone["height"], first
    # The closed step list still leads to every section.
    steps_nav = page.get_by_role("navigation", name="Workbook sections")
    expect(steps_nav.get_by_role("link", name="Review all answers")).to_be_hidden()
    page.locator(".app-wizard-nav__summary").click()
    expect(steps_nav.get_by_role("link", name="Review all answers")).to_be_visible()
    page.locator(".app-wizard-nav__summary").click()

    # "Saved at …" stays at the foot of the window wherever the page is scrolled to.
    field = page.locator(".app-question input.usa-input[type=text]").first
    field.fill(field.input_value() + " Reviewed.")
    status = page.locator("[data-save-status]")
    expect(status).to_contain_text("Saved at")
    for position in ("0", "document.body.scrollHeight / 2"):
        page.evaluate(f"window.scrollTo(0, {position})")
        box = status.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= phone["height"], (position, box)

    # A field reached by Tab is scrolled into view above the status, never behind it.
    page.evaluate("window.scrollTo(0, 0)")
    field.focus()
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const r = document.activeElement.getBoundingClientRect();"
            " return {top: r.top, bottom: r.bottom}; }"
        )
        if focused["bottom"] > focused["top"]:
            assert focused["bottom"] <= status.bounding_box()["y"] + 0.5, focused
    context.close()

    # From the tablet width up the step list is the side column, open, with no summary line.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base, "riverton-editor")
    page.goto(base + reverse("workbook:section", args=["riverton", "profile"]))
    expect(page.locator("[data-side-steps]")).to_have_attribute("open", "")
    expect(page.locator(".app-wizard-nav__summary")).to_be_hidden()
    steps_nav = page.get_by_role("navigation", name="Workbook sections")
    expect(steps_nav.get_by_role("link", name="Review all answers")).to_be_visible()
    context.close()
