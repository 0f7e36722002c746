"""Authorization-matrix entries for the inbox: every signed-in user has one, and only their own."""

from setu.notifications.models import Notification
from tests.authz import SIGNED_IN, Entry


def _notice(p):
    notice = Notification.objects.create(
        recipient=p.users["lead"], kind="other", message="Something to look at"
    )
    return {"notification_id": notice.pk}


ENTRIES = [
    Entry("notifications:inbox", SIGNED_IN),
    Entry("notifications:read-all", SIGNED_IN, method="post"),
    Entry("notifications:read", frozenset({"lead"}), kwargs=_notice, method="post"),
    Entry("notifications:preferences", SIGNED_IN),
]
