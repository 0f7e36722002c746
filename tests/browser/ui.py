"""What every journey does: read the page in the variant's language, sign in, use the menu.

Locators go by role and accessible name, with names translated by the same catalogues the
server uses, so a journey reads like what a person does and survives layout changes.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation

from tests.browser.server import DEMO_PASSWORD

# Session cookies of accounts already signed in during this run. Checking an Argon2 password
# takes the server a good part of a second; journeys other than signing in reuse a session.
_SESSIONS: dict[str, list[dict[str, Any]]] = {}
HOME = re.compile(r"^https?://[^/]+/$")


class Ui:
    """A page in one variant (language and viewport) with the journeys' vocabulary."""

    def __init__(self, page: Any, variant: Any) -> None:
        self.page = page
        self.variant = variant

    def t(self, message: str, context: str | None = None) -> str:
        """`message` as the server renders it in the variant's language."""
        with translation.override(self.variant.language):
            if context:
                return translation.pgettext(context, message)
            return translation.gettext(message)

    def exact(self, message: str, context: str | None = None) -> re.Pattern[str]:
        """A whole-name match for `message` (labels may end in a colon)."""
        return re.compile(rf"^\s*{re.escape(self.t(message, context))}\s*:?\s*$")

    def button(self, message: str, context: str | None = None) -> Any:
        return self.page.get_by_role("button", name=self.exact(message, context))

    def link(self, message: str, context: str | None = None) -> Any:
        return self.page.get_by_role("link", name=self.exact(message, context))

    def heading(self, message: str) -> Any:
        return self.page.get_by_role("heading", name=self.t(message))

    def sign_in(self, username: str, *, password: str = DEMO_PASSWORD, fresh: bool = False) -> None:
        """Sign in through the login form (or resume this run's session of the account) and
        land on the home page."""
        context = self.page.context
        if not fresh and username in _SESSIONS:
            context.add_cookies(_SESSIONS[username])
            self.page.goto("/")
            return
        # Signing in as someone else in the same context: end the current session first, or
        # the login page sends the signed-in account home.
        context.clear_cookies(name="sessionid")
        self.page.goto("/accounts/login/")
        # The login field's label differs between catalogues (allauth's "Login", Setu's
        # "Username or email"); its name is the form's contract.
        self.page.locator("input[name=login]").fill(username)
        self.page.get_by_label(self.exact("Password")).fill(password)
        # The home page by its whole address: "/$" alone matches the login page too, and
        # waiting for it returned before the session cookie had arrived.
        with self.page.expect_navigation(url=HOME):
            self.button("Sign in").click()
        _SESSIONS[username] = [c for c in context.cookies() if c["name"] != "django_language"]

    def follow(self, target: Any, url: str | re.Pattern[str] | None = None) -> None:
        """Click what loads a page (a link, a form's button) and wait until that page, at
        ``url`` if given, has loaded. Reading right after a click can still read the page
        before it, and waiting for the URL does not wait when a form answers at its own
        address (``wait_for_url`` returns at once when the address already matches)."""
        with self.page.expect_navigation(url=url):
            target.click()

    def open_menu(self) -> None:
        """On a phone, open the folded navigation (a no-op where it is always shown)."""
        toggle = self.page.get_by_role("button", name=self.t("Menu"))
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
            toggle.click()

    def navigate(self, message: str) -> None:
        """Follow a link of the main navigation, as a person would on this screen."""
        self.open_menu()
        nav = self.page.get_by_role("navigation", name=self.t("Main"))
        self.follow(nav.get_by_role("link", name=re.compile(rf"^{re.escape(self.t(message))}")))

    def header_height(self) -> float:
        return self.page.locator("header.topbar").bounding_box()["height"]
