"""Fixtures of the browser tests."""

import pytest


@pytest.fixture(scope="module")
def search_page(browser, seed_url):
    """One page for every query of a module: the search index loads once."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(seed_url)
    yield page
    context.close()
