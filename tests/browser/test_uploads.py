"""Upload journey (issue 28, promise 4): a caseworker attaches a photo taken on a phone to a
person's record through the page, finds it in the record's "Photos and documents", and downloads
it through the policy; the photo she gets back has no EXIF and no GPS position left in it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from setu.registry.tests.uploadfiles import gps_of, photo
from tests.browser.ui import Ui

pytestmark = pytest.mark.browser

# What the server does with a file is the same on every screen: one language per screen size
# (the other two of the security journeys) keeps the suite short.
RUN_IN = {"en-desktop", "bn-phone"}
OWN_ORG = "Saagar Sakhi Trust"  # the Mumbai NGO, as "Recorded by" shows it


def test_a_photo_is_uploaded_listed_and_downloaded_without_its_location(
    page, variant, problems, tmp_path
):
    if str(variant) not in RUN_IN:
        pytest.skip("one language per screen size is enough for this journey")
    ui = Ui(page, variant)
    original = photo(size=(64, 48))
    assert gps_of(original)  # the phone wrote where it was taken
    shot = tmp_path / "IMG_20261207_village.jpg"
    shot.write_bytes(original)
    caption = f"Photo at registration ({variant})"

    ui.sign_in("mumbai-ngo.caseworker")
    ui.navigate("Persons")
    own = page.locator("td", has_text=re.compile(rf"^\s*{re.escape(OWN_ORG)}\s*$"))
    page.locator("table.data tbody tr").filter(has=own).first.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/registry/persons/[0-9a-f-]{36}/$"))
    person_url = page.url
    files = page.get_by_role("region", name=ui.t("Photos and documents"))
    files.get_by_role("link", name=ui.t("Take or upload a photo")).click()
    page.wait_for_url(re.compile(r"/attachments/add/\?kind=photo$"))
    page.get_by_label(ui.exact("Photo")).set_input_files(str(shot))
    page.get_by_label(ui.exact("What it is (optional)")).fill(caption)
    ui.button("Upload").click()
    page.wait_for_url(person_url)
    expect(page.get_by_text(ui.t("File uploaded."))).to_be_visible()

    # Listed on her record, by kind and day (the file's own name is not kept anywhere).
    entry = files.get_by_role("listitem").filter(has_text=caption)
    assert entry.count() == 1
    assert shot.name not in page.content()
    link = entry.get_by_role("link").first
    assert link.inner_text().startswith(ui.t("Photo"))
    problems.expect_download(r"/registry/attachments/[0-9a-f-]{36}/$")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert re.fullmatch(r"photo-\d{2}-\d{2}-\d{4}-[0-9a-f]{8}\.jpg", download.suggested_filename)
    served = Path(download.path()).read_bytes()
    # The same picture, rebuilt from its pixels: no EXIF at all, so no position.
    with Image.open(io.BytesIO(served)) as image:
        assert image.format == "JPEG" and image.size == (64, 48)
        assert dict(image.getexif()) == {}
    assert gps_of(served) == {}
    assert b"Exif" not in served and b"PhoneCam" not in served
