"""Screenshots of the main pages for docs/screenshots/ (`make screenshots`; not part of the tests).

Serves the demo network as the browser suite does, signs in as the account each page is for,
and writes one PNG per page, viewport and language. With pngquant installed (Debian package
`pngquant`) the images are quantised to keep the repository small.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.browser import server

CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


def _sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(server.DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/$"))


def _open_case(page: Page, reference: str) -> None:
    page.goto("/registry/persons/")
    page.locator("input[name=q]").fill("Roopa Khatoon")
    page.locator("form[role=search] button[type=submit]").click()
    page.get_by_role("link", name="Roopa Khatoon").first.click()
    page.get_by_role("link", name=reference, exact=True).click()
    page.wait_for_load_state()


def _person_form(page: Page) -> None:
    # A person the organisation already has, typed again under another spelling.
    page.goto("/registry/persons/new/")
    page.locator("input[name=given_name]").fill("Parvati")
    page.locator("input[name=family_name]").fill("Murmu")
    page.locator("input[name=estimated_age]").fill("17")
    page.locator("input[name=mother_name]").fill("Jahanara")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    if page.locator("textarea[name=create_reason]").is_visible():
        # The matched demo may already hold a Parvati Murmu: say why, as a caseworker would.
        page.locator("textarea[name=create_reason]").fill("A different girl: other village")
        page.locator("#person-submit").click()
    page.wait_for_url(re.compile(r"/registry/persons/[0-9a-f-]{36}/$"))
    page.goto("/registry/persons/new/")
    page.locator("input[name=given_name]").fill("Parboti")
    page.locator("input[name=family_name]").fill("Murmoo")
    page.locator("input[name=estimated_age]").fill("17")
    page.locator("input[name=mother_name]").fill("Jahanara")
    page.locator("#match-check a").first.wait_for()
    page.locator("#person-submit.create-anyway").wait_for()
    page.wait_for_load_state("networkidle")
    # The name fields with the panel beside them, as the page opens.
    page.evaluate("window.scrollTo(0, 0)")


def _match_review(page: Page) -> None:
    # The story-line pair: Saagar Sakhi's Roopa Khatoon and Padma Char's missing Rupa Khatun.
    page.goto("/matching/")
    page.locator("input[name=q]").fill("Roopa Khatoon")
    page.locator("form[role=search] button[type=submit]").click()
    row = page.get_by_role("row").filter(has_text="Padma Char Mahila Samiti")
    row.locator("a[href*='/matching/pairs/']").first.click()
    page.wait_for_url(re.compile(r"/matching/pairs/[0-9a-f-]{36}/$"))


def _first_referral(page: Page) -> None:
    page.goto("/referrals/")
    page.locator("main table a").first.click()
    page.wait_for_load_state()


def _legal_proceeding(page: Page) -> None:
    # The first proceeding the legal officer follows, from her desk.
    page.goto("/legal/")
    page.get_by_role("region", name="Proceedings", exact=True).get_by_role("link").first.click()
    page.wait_for_load_state()


def _feedback_form(page: Page) -> None:
    # A peer supporter makes an invitation in the page's language; the survivor opens it with
    # no account (cookies cleared) and chooses her answers.
    language = next(c["value"] for c in page.context.cookies() if c["name"] == "django_language")
    page.goto("/feedback/invite/")
    subject = page.locator("main select#id_subject option", has_text="Canning Police Station")
    page.locator("main select#id_subject").select_option(subject.first.get_attribute("value"))
    page.locator("main select#id_language").select_option(language)
    page.locator("main form button[type=submit]").click()
    link = page.locator("main table code").first.inner_text()
    page.context.clear_cookies()
    page.goto(link)
    page.locator("input[name=treated][value='2']").check(force=True)
    page.locator("input[name=entitled][value=partly]").check(force=True)


# (file name, account, how to get there, languages, viewports)
SHOTS = [
    (
        "feedback-form",
        "survivor-collective.peer_supporter",
        _feedback_form,
        ("hi", "bn"),
        ("phone",),
    ),
    ("home", "mumbai-ngo.caseworker", lambda p: p.goto("/"), ("en", "bn"), ("desktop", "phone")),
    ("person-check", "mumbai-ngo.caseworker", _person_form, ("en",), ("desktop",)),
    (
        "case",
        "mumbai-ngo.caseworker",
        lambda p: _open_case(p, "SST/2024/0001"),
        ("en", "bn"),
        ("desktop", "phone"),
    ),
    ("match-queue", "mumbai-ngo.caseworker", lambda p: p.goto("/matching/"), ("en",), ("desktop",)),
    ("match-review", "mumbai-ngo.caseworker", _match_review, ("en", "bn"), ("desktop", "phone")),
    ("referral", "mumbai-ngo.caseworker", _first_referral, ("en",), ("desktop", "phone")),
    (
        "shelter-beds",
        "mumbai-shelter.shelter_manager",
        lambda p: p.goto("/shelters/"),
        ("en", "bn"),
        ("desktop", "phone"),
    ),
    (
        "audit-trail",
        "mumbai-ngo.org_admin",
        lambda p: p.goto("/audit/"),
        ("en",),
        ("desktop", "phone"),
    ),
    ("legal-desk", "mumbai-ngo.legal_officer", lambda p: p.goto("/legal/"), ("en",), ("desktop",)),
    (
        "legal-proceeding",
        "mumbai-ngo.legal_officer",
        _legal_proceeding,
        ("en",),
        ("desktop", "phone"),
    ),
    (
        # A month grid on the desktop, the agenda on a phone.
        "legal-calendar",
        "mumbai-ngo.legal_officer",
        lambda p: p.goto("/legal/calendar/?all=1"),
        ("en", "bn"),
        ("desktop", "phone"),
    ),
    (
        # Counts per state with the chart and the table behind it.
        "legal-outcomes",
        "mumbai-ngo.legal_officer",
        lambda p: p.goto("/legal/outcomes/?by=state"),
        ("en",),
        ("desktop", "phone"),
    ),
    (
        "network",
        "network.network_coordinator",
        lambda p: p.goto("/shelters/network/"),
        ("en",),
        ("desktop", "phone"),
    ),
]


def main(argv: list[str] | None = None) -> int:
    """``[--only NAME,NAME] [--database PATH]``: some pages only; a copy of an already loaded
    and matched demo database instead of building one (its directory gets the server log)."""
    args = list(sys.argv[1:] if argv is None else argv)
    only = set(args[args.index("--only") + 1].split(",")) if "--only" in args else None
    OUT.mkdir(parents=True, exist_ok=True)
    if "--database" in args:
        live = server.serve(Path(args[args.index("--database") + 1]))
    else:
        # Matched, so that the match queue has rows (an unmatched demo shows an empty queue).
        live = server.start(rematch=True)
    written: list[Path] = []
    failed: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            for name, account, go, languages, devices in SHOTS:
                if only is not None and name not in only:
                    continue
                for language in languages:
                    for device in devices:
                        width, height = VIEWPORTS[device]
                        context = browser.new_context(
                            base_url=live.url,
                            viewport={"width": width, "height": height},
                            is_mobile=device == "phone",
                            locale=language,
                        )
                        context.add_cookies(
                            [{"name": "django_language", "value": language, "url": live.url}]
                        )
                        context.set_default_timeout(60_000)
                        page = context.new_page()
                        path = OUT / f"{name}-{device}-{language}.png"
                        try:
                            _sign_in(page, account)
                            go(page)
                            page.screenshot(path=path)
                            written.append(path)
                        except Exception as exc:  # report it and take the rest
                            failed.append(f"{path.name}: {exc}")
                        context.close()
            browser.close()
    finally:
        live.stop()
        if "--database" not in args:
            shutil.rmtree(live.database.parent, ignore_errors=True)
    if shutil.which("pngquant"):
        subprocess.run(  # noqa: S603 - fixed arguments, our own files
            ["pngquant", "--force", "--skip-if-larger", "--ext", ".png", "--", *map(str, written)],  # noqa: S607
            check=False,
        )
    else:
        print("pngquant not found: images left unoptimised (apt-get install pngquant)")
    total = sum(p.stat().st_size for p in written)
    print(f"{len(written)} screenshots, {total / 1024:.0f} KiB, in {OUT}")
    for line in failed:
        print(f"not taken: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
