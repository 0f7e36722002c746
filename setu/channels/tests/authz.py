"""Authorization-matrix entries of the phone webhooks.

They authenticate by the shared secret header, not by a session: no persona of the matrix
sends it, so every one of them, signed in or not, must be refused (403; the anonymous one
too, as an API would). ``test_webhooks.py`` shows that the secret, and only it, gets through.
"""

from tests.authz import Entry

NOBODY: frozenset[str] = frozenset()


def _sms(p):
    return {"sender": "+919800000001", "text": "HELP"}


ENTRIES = [
    Entry("channels:sms", NOBODY, method="post", data=_sms, is_api=True),
    Entry("channels:missed-call", NOBODY, method="post", is_api=True),
    Entry("channels:rapidpro", NOBODY, method="post", is_api=True),
]
