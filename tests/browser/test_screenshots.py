"""Screenshots of every page type, on a desktop and on a phone, for people to look at
(screenshots/ is git-ignored). The pages are the ones the other browser tests check."""

import struct

from tests.browser.reading import page_types, search
from tests.support.fixtures import SCREENSHOTS, screenshot


def png_size(path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def shoot_every_page_type(page, seed_url, seed_site, device: str) -> dict:
    shots = {}
    for name, path in page_types(seed_site).items():
        page.goto(seed_url + path)
        page.evaluate("document.fonts.ready.then(() => true)")  # no half-drawn text
        shots[name] = screenshot(page, f"{name}-{device}")
    page.goto(seed_url)
    assert search(page, "Aleppo")
    # The results float over the page: a picture of the screen, not of the page beneath.
    shots["search"] = SCREENSHOTS / f"search-{device}.png"
    page.screenshot(path=str(shots["search"]))
    return shots


def test_desktop_screenshots(page, seed_url, seed_site):
    shots = shoot_every_page_type(page, seed_url, seed_site, "desktop")
    for name, path in shots.items():
        width, height = png_size(path)
        assert width == 1280 and height >= 900, (name, width, height)


def test_phone_screenshots(browser, seed_url, seed_site):
    # One pixel per CSS pixel: long pages at twice the density take seconds each to encode.
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    try:
        shots = shoot_every_page_type(context.new_page(), seed_url, seed_site, "phone")
    finally:
        context.close()
    for name, path in shots.items():
        width, height = png_size(path)
        assert width == 390 and height >= 844, (name, width, height)
