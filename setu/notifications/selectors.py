"""Reads of the notifications context: the actor's inbox (alike unread notices grouped, each
line with its next step) and their channel choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.notifications.models import NoticeKind, Notification, NotificationPreference

# From this many unread notices of one kind, the inbox shows them as one line.
GROUP_FROM = 2
# Urgent kinds first, then what waits for a decision, then news.
KIND_ORDER = [
    NoticeKind.RETRAFFICKING,
    NoticeKind.MISSING_FOUND,
    NoticeKind.FEEDBACK,
    NoticeKind.REFERRAL,
    NoticeKind.MATCH,
    NoticeKind.DUPLICATE,
    NoticeKind.LINK,
    NoticeKind.INTEL,
    NoticeKind.OTHER,
]
STATES = ("unread", "read")


@dataclass(frozen=True)
class InboxItem:
    """One line of the inbox: a notice, or a group of alike unread notices."""

    pk: str
    kind: str
    message: str
    url: str
    created_at: datetime
    unread: bool
    # For a group: how many notices it stands for, and where to see them one by one.
    count: int = 1
    next_step: str = ""
    list_url: str = ""

    @property
    def is_group(self) -> bool:
        return self.count > 1


def notification_list(
    *, actor: Actor, unread_only: bool = False, kind: str | None = None, state: str | None = None
) -> QuerySet[Notification]:
    """The actor's own notices, most recently updated first; by kind and read/unread."""
    qs = policy.scope(actor, Notification.objects.all(), Action.VIEW)
    if unread_only or state == "unread":
        qs = qs.filter(read_at__isnull=True)
    elif state == "read":
        qs = qs.filter(read_at__isnull=False)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-updated_at")


def _unread_by_kind(actor: Actor) -> dict[str, tuple[int, datetime]]:
    rows = (
        notification_list(actor=actor, unread_only=True)
        .order_by()
        .values("kind")
        .annotate(n=Count("id"), last=Max("updated_at"))
    )
    return {r["kind"]: (r["n"], r["last"]) for r in rows}


def unread_count(*, actor: Actor) -> int:
    """Unread lines of the actor's inbox (a group of alike notices counts once); one query."""
    return sum(1 if n >= GROUP_FROM else n for n, _last in _unread_by_kind(actor).values())


def _group_text(kind: str, n: int) -> tuple[str, str, str]:
    """The line for ``n`` unread notices of a kind: what waits, what to do, and where."""
    queue = reverse("matching:pair-list")
    texts: dict[str, tuple[str, str, str]] = {
        NoticeKind.RETRAFFICKING: (
            ngettext("%(n)d re-trafficking alert", "%(n)d re-trafficking alerts", n),
            _("Open each alert, check the place and date, and contact the other organisation."),
            reverse("matching:alert-list"),
        ),
        NoticeKind.MISSING_FOUND: (
            ngettext(
                "%(n)d missing person may have been found",
                "%(n)d missing persons may have been found",
                n,
            ),
            _("Review these pairs first: confirm or dismiss each."),
            f"{queue}?urgency=missing_found",
        ),
        NoticeKind.FEEDBACK: (
            ngettext(
                "%(n)d complaint or feedback item waits for you",
                "%(n)d complaints or feedback items wait for you",
                n,
            ),
            _("Open the feedback desk: acknowledge each one and answer her."),
            reverse("feedback:desk"),
        ),
        NoticeKind.REFERRAL: (
            ngettext("%(n)d referral update", "%(n)d referral updates", n),
            _("Open your referrals to accept, answer or follow up."),
            reverse("referrals:referral-list"),
        ),
        NoticeKind.MATCH: (
            ngettext(
                "%(n)d possible match with another organisation",
                "%(n)d possible matches with other organisations",
                n,
            ),
            _("Review them in the match queue: confirm or dismiss each."),
            f"{queue}?urgency=cross_org",
        ),
        NoticeKind.DUPLICATE: (
            ngettext(
                "%(n)d possible duplicate in your organisation",
                "%(n)d possible duplicates in your organisation",
                n,
            ),
            _("Review them in the match queue: confirm or dismiss each."),
            f"{queue}?urgency=duplicate",
        ),
        NoticeKind.LINK: (
            ngettext("%(n)d update on linked records", "%(n)d updates on linked records", n),
            _("Open the match queue to see what the other organisation decided."),
            queue,
        ),
        NoticeKind.INTEL: (
            ngettext(
                "%(n)d value also known to another organisation",
                "%(n)d values also known to other organisations",
                n,
            ),
            _("Open the cross-references to see who else holds them and whom to ask."),
            reverse("intel:crossref"),
        ),
    }
    title, step, url = texts.get(
        kind,
        (
            ngettext("%(n)d other notice", "%(n)d other notices", n),
            _("Open them one by one."),
            "",
        ),
    )
    return title % {"n": n}, step, url


def inbox(
    *, actor: Actor, kind: str | None = None, state: str | None = None, limit: int = 100
) -> list[InboxItem]:
    """The actor's inbox: alike unread notices as one line each (urgent first), then the rest
    newest first. Filtered by kind (then one line per notice) or read/unread."""
    groups: list[InboxItem] = []
    grouped: set[str] = set()
    if not kind and state != "read":
        counts = _unread_by_kind(actor)
        for k in KIND_ORDER:
            n, last = counts.get(k, (0, None))
            if n >= GROUP_FROM and last is not None:
                title, step, url = _group_text(k, n)
                inbox_url = reverse("notifications:inbox")
                list_url = f"{inbox_url}?kind={k}&state=unread"
                groups.append(
                    InboxItem(
                        pk=k,
                        kind=k,
                        message=title,
                        # Kinds with no page of their own open as the list, one by one.
                        url=url or list_url,
                        created_at=last,
                        unread=True,
                        count=n,
                        next_step=step,
                        list_url=list_url,
                    )
                )
                grouped.add(k)
    qs = notification_list(actor=actor, kind=kind, state=state)
    if grouped:
        # Grouped unread notices are behind their group's line; read ones still show.
        qs = qs.exclude(kind__in=grouped, read_at__isnull=True)
    items = [
        InboxItem(str(n.pk), n.kind, n.message, n.url, n.updated_at, n.read_at is None)
        for n in qs[: max(limit - len(groups), 0)]
    ]
    return groups + items


@policy.system_read
def digest_lines(*, user: Any, since: datetime | None) -> list[str]:
    """Lines of a user's daily digest: unread notices by kind (counts only), if any is new.

    A system read: the digest is sent from cron for every user, acting for none of them, and
    row-level security shows a notice to its recipient only (``access 0008``)."""
    unread = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if since is not None and not unread.filter(updated_at__gt=since).exists():
        return []
    counts = dict(unread.order_by().values_list("kind").annotate(n=Count("id")))
    return [_group_text(k, counts[k])[0] for k in KIND_ORDER if counts.get(k)]


def preference_get(*, actor: Actor) -> NotificationPreference:
    """The actor's channel choices (defaults when never set; not saved by reading)."""
    found = NotificationPreference.objects.filter(user_id=actor.user.pk).first()
    return found or NotificationPreference(user=actor.user)
