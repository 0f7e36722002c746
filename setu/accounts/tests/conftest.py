import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps rate limits and used TOTP codes in the cache; tests must not share them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
