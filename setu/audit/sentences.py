"""The audit trail in plain sentences ("Viewed case PCMS/2026/0004"), for the trail's pages.

Presentation only: which records the reader may name comes from ``selectors``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.audit.models import AuditAction, AuditEntry, Outcome

# Where a record of each kind is shown; the page itself still checks access.
DETAIL_URLS = {
    "registry.case": "registry:case-detail",
    "registry.person": "registry:person-detail",
    "referrals.referral": "referrals:referral-detail",
    "orgs.organisation": "orgs:organisation-detail",
    "matching.matchpair": "matching:pair-detail",
    "matching.matchalert": "matching:alert-detail",
    "shelters.bedhold": "shelters:hold-detail",
    "entitlements.schemeapplication": "entitlements:application-detail",
    "entitlements.compensationclaim": "entitlements:claim-detail",
    "directory.service": "directory:service-detail",
}
# A person whose identity the reader may not see is named by a link only when it is visible.
NAMED_ONLY = {"registry.case", "registry.person"}

# What the entry says was done, with the record in the sentence.
DONE = {
    AuditAction.VIEW: gettext_lazy("Viewed %(record)s"),
    AuditAction.LIST: gettext_lazy("Listed or searched %(record)s"),
    AuditAction.CREATE: gettext_lazy("Created %(record)s"),
    AuditAction.UPDATE: gettext_lazy("Changed %(record)s"),
    AuditAction.DELETE: gettext_lazy("Deleted %(record)s"),
    AuditAction.ARCHIVE: gettext_lazy("Archived %(record)s"),
    AuditAction.EXPORT: gettext_lazy("Exported %(record)s"),
    AuditAction.SHARE: gettext_lazy("Shared %(record)s"),
    AuditAction.UNSHARE: gettext_lazy("Stopped sharing %(record)s"),
    AuditAction.CONSENT_GIVEN: gettext_lazy("Recorded consent for %(record)s"),
    AuditAction.CONSENT_WITHDRAWN: gettext_lazy(
        "Recorded that consent was withdrawn for %(record)s"
    ),
    AuditAction.ADMIN: gettext_lazy("Administered %(record)s"),
}
WITHOUT_RECORD = {
    AuditAction.LOGIN: gettext_lazy("Signed in"),
    AuditAction.LOGOUT: gettext_lazy("Signed out"),
    AuditAction.LOGIN_FAILED: gettext_lazy("Tried to sign in, and the sign-in failed"),
    AuditAction.LOCKED_OUT: gettext_lazy("Was locked out after repeated failed sign-ins"),
    # Phone channels: the entry's details say which keyword, line or flow; never who.
    AuditAction.INBOUND: gettext_lazy("Received a message or missed call by phone"),
    AuditAction.FLOW_START: gettext_lazy("Started a call-back or SMS flow"),
}
# What a refused request tried to do (the policy's action names).
ATTEMPTED = {
    "view": gettext_lazy("Was refused when trying to view %(record)s"),
    "create": gettext_lazy("Was refused when trying to create %(record)s"),
    "edit": gettext_lazy("Was refused when trying to change %(record)s"),
    "archive": gettext_lazy("Was refused when trying to archive %(record)s"),
    "share": gettext_lazy("Was refused when trying to share %(record)s"),
    "manage_consent": gettext_lazy("Was refused when trying to record consent for %(record)s"),
    "export": gettext_lazy("Was refused when trying to export %(record)s"),
    "view_audit": gettext_lazy("Was refused when trying to read %(record)s"),
}


@dataclass(frozen=True)
class EntryLine:
    """One entry as the trail shows it."""

    entry: AuditEntry
    sentence: SafeString
    url: str


def _noun(target_type: str, *, plural: bool = False) -> str:
    if not target_type or target_type == "url":
        return _("a page")
    try:
        meta = apps.get_model(target_type)._meta
    except (LookupError, ValueError):
        return target_type
    return str(meta.verbose_name_plural if plural else meta.verbose_name)


def _url(entry: AuditEntry, named: bool) -> str:
    name = DETAIL_URLS.get(entry.target_type)
    if not name or not entry.target_id or (entry.target_type in NAMED_ONLY and not named):
        return ""
    try:
        return reverse(name, args=[entry.target_id])
    except NoReverseMatch:
        return ""


def _record(entry: AuditEntry, labels: dict[tuple[str, str], str]) -> tuple[SafeString, str]:
    label = labels.get((entry.target_type, entry.target_id), "")
    noun = _noun(entry.target_type, plural=entry.action == AuditAction.LIST)
    text = _("%(kind)s %(name)s") % {"kind": noun, "name": label} if label else noun
    url = _url(entry, bool(label))
    if url:
        return format_html('<a href="{}">{}</a>', url, text), url
    return format_html("{}", text), ""


def _sentence(pattern: str, record: SafeString) -> SafeString:
    # The translated pattern is text; only the record (already escaped) is HTML.
    items = _interleave(str(pattern).split("%(record)s"), record)
    return format_html("{}" * len(items), *items)


def _interleave(parts: list[str], record: SafeString) -> list[object]:
    out: list[object] = []
    for i, part in enumerate(parts):
        if i:
            out.append(record)
        out.append(part)
    return out


def describe(entry: AuditEntry, labels: dict[tuple[str, str], str]) -> EntryLine:
    """The plain sentence for ``entry``: what was done (or refused) to which record."""
    record, url = _record(entry, labels)
    refused = entry.outcome == Outcome.DENIED or entry.action == AuditAction.DENIED
    if refused:
        attempted = str((entry.details or {}).get("attempted", entry.action))
        pattern = ATTEMPTED.get(attempted, gettext_lazy("Was refused access to %(record)s"))
    elif entry.action in WITHOUT_RECORD:
        pattern = WITHOUT_RECORD[AuditAction(entry.action)]
    else:
        pattern = DONE.get(entry.action, "%(record)s")
        if entry.outcome == Outcome.FAILED:
            pattern = _("Failed: %(what)s") % {"what": pattern}
    return EntryLine(entry, _sentence(pattern, record), url)
