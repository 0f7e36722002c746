import datetime

import pytest

from setu.registry.models import Consent
from setu.registry.tests.factories import ConsentFactory

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("fields", "in_force"),
    [
        ({}, True),
        ({"given_on": TODAY + DAY}, False),  # recorded ahead of time: not yet given
        ({"withdrawn_on": TODAY}, False),
        ({"expires_on": TODAY - DAY}, False),
        ({"expires_on": TODAY}, True),
    ],
)
def test_query_and_instance_agree_on_what_is_in_force(db, fields, in_force):
    consent = ConsentFactory(**fields)
    assert consent.is_active_on() is in_force
    assert Consent.objects.in_force().filter(pk=consent.pk).exists() is in_force
