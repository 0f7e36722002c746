"""What the navigation shows an actor: links are offered only where the policy allows."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str


def navigation_for(*, actor: Actor) -> list[NavItem]:
    """Navigation links for the actor's role (the policy decides, not the template)."""
    items = [NavItem(str(_("Home")), reverse("web:home"), "home")]
    if policy.allowed(actor, Action.VIEW, "registry.case"):
        items.append(NavItem(str(_("Cases")), reverse("registry:case-list"), "cases"))
        items.append(NavItem(str(_("Persons")), reverse("registry:person-list"), "persons"))
    if policy.allowed(actor, Action.VIEW, "referrals.referral"):
        items.append(NavItem(str(_("Referrals")), reverse("referrals:referral-list"), "referrals"))
    if policy.allowed(actor, Action.VIEW, "directory.service"):
        items.append(NavItem(str(_("Services")), reverse("directory:service-list"), "directory"))
    if policy.allowed(actor, Action.VIEW, "shelters.bedgroup"):
        items.append(
            NavItem(str(_("Shelter beds")), reverse("shelters:capacity-board"), "shelters")
        )
    if policy.allowed(actor, Action.VIEW_AGGREGATES, "shelters.network"):
        items.append(NavItem(str(_("Network view")), reverse("shelters:network"), "network"))
    if policy.allowed(actor, Action.VIEW, "entitlements.schemeapplication"):
        items.append(
            NavItem(str(_("Entitlements")), reverse("entitlements:overview"), "entitlements")
        )
    if policy.allowed(actor, Action.VIEW, "legal.proceeding"):
        items.append(NavItem(str(_("Legal")), reverse("legal:desk"), "legal"))
    elif policy.allowed(actor, Action.VIEW_AGGREGATES, "legal.outcomes"):
        url = reverse("legal:outcomes")
        items.append(NavItem(str(_("Outcomes of prosecutions")), url, "legal"))
    if policy.allowed(actor, Action.VIEW, "fieldops.operation"):
        items.append(NavItem(str(_("Field operations")), reverse("fieldops:home"), "fieldops"))
    if policy.allowed(actor, Action.VIEW, "intel.perpetrator"):
        items.append(NavItem(str(_("Intelligence")), reverse("intel:crossref"), "intel"))
    elif policy.allowed(actor, Action.VIEW_AGGREGATES, "intel.counts"):
        items.append(NavItem(str(_("Intelligence in numbers")), reverse("intel:counts"), "intel"))
    if any(
        policy.allowed(actor, action, label)
        for action, label in (
            (Action.VIEW, "feedback.feedback"),
            (Action.CREATE, "feedback.invitation"),
            (Action.VIEW_AGGREGATES, "feedback.report"),
        )
    ):
        items.append(NavItem(str(_("Survivor feedback")), reverse("feedback:desk"), "feedback"))
    if policy.allowed(actor, Action.VIEW, "matching.matchpair"):
        items.append(NavItem(str(_("Matches")), reverse("matching:pair-list"), "matches"))
    elif policy.allowed(actor, Action.VIEW, "matching.calibration"):
        url = reverse("matching:calibration")
        items.append(NavItem(str(_("How well matching works")), url, "matches"))
    if policy.allowed(actor, Action.VIEW, "notifications.notification"):
        from setu.notifications.selectors import unread_count

        unread = unread_count(actor=actor)
        label = _("Inbox (%(n)d)") % {"n": unread} if unread else _("Inbox")
        items.append(NavItem(str(label), reverse("notifications:inbox"), "inbox"))
    items.append(NavItem(str(_("Organisations")), reverse("orgs:organisation-list"), "orgs"))
    if policy.allowed(actor, Action.VIEW_AGGREGATES, "insights"):
        items.append(NavItem(str(_("Statistics")), reverse("insights:overview"), "insights"))
    if policy.allowed(actor, Action.VIEW_AUDIT, "audit.auditentry"):
        items.append(NavItem(str(_("Audit trail")), reverse("audit:entry-list"), "audit"))
    return items
