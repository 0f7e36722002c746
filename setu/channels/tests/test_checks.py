"""``setu check --deploy`` on the phone channels' settings."""

from __future__ import annotations

from setu.channels.checks import channels_configured


def test_a_short_secret_is_warned_about(settings):
    settings.SETU_CHANNELS_SECRET = "short"
    assert [c.id for c in channels_configured()] == ["setu.W201"]


def test_a_rapidpro_starter_needs_url_and_token(settings):
    settings.SETU_CHANNELS_SECRET = "x" * 32
    settings.SETU_FLOW_STARTER = "setu.channels.adapters.RapidProFlowStarter"
    settings.SETU_RAPIDPRO_URL, settings.SETU_RAPIDPRO_TOKEN = "https://rapidpro.example.org", ""
    assert [c.id for c in channels_configured()] == ["setu.E201"]
    settings.SETU_RAPIDPRO_TOKEN = "token"
    assert channels_configured() == []
