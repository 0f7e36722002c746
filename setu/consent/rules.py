"""The one consent rule: a consent in force covers (scopes, recipient organisation, day).

``covers`` judges one consent already in memory; ``covering`` is the same rule as a row filter
for any query that reaches consents (``prefix`` names the path, e.g. ``"consent__"`` from a
share or a referral). ``narrowest_first`` orders candidates the same way on every database.
Every app (the access policy, registry, referrals, matching, insights' counts) asks here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

if TYPE_CHECKING:
    from setu.consent.models import Consent


class _AnyOrganisation:
    """Marker: the recipient does not matter (any consent in force, named or network-wide)."""

    def __repr__(self) -> str:
        return "ANY_ORGANISATION"


ANY_ORGANISATION: Final = _AnyOrganisation()


def covers(
    consent: Consent,
    *,
    scopes: Iterable[str] = (),
    organisation_id: Any = ANY_ORGANISATION,
    day: datetime.date | None = None,
) -> bool:
    """Whether ``consent`` is in force on ``day`` (today) and allows every one of ``scopes`` to
    reach ``organisation_id`` (it names that organisation, or nobody: the whole network)."""
    day = day or timezone.localdate()
    if consent.given_on > day or consent.withdrawn_on is not None:
        return False
    if consent.expires_on is not None and consent.expires_on < day:
        return False
    if organisation_id is not ANY_ORGANISATION and consent.recipient_org_id not in (
        None,
        organisation_id,
    ):
        return False
    return set(scopes) <= set(consent.scopes or ())


def covering(
    *,
    scopes: Iterable[str] = (),
    organisation_id: Any = ANY_ORGANISATION,
    day: datetime.date | None = None,
    prefix: str = "",
) -> Q:
    """``covers`` as a row filter on consents (or on rows reaching them through ``prefix``)."""
    day = day or timezone.localdate()
    p = prefix
    rule = Q(**{f"{p}given_on__lte": day, f"{p}withdrawn_on__isnull": True}) & (
        Q(**{f"{p}expires_on__isnull": True}) | Q(**{f"{p}expires_on__gte": day})
    )
    if organisation_id is not ANY_ORGANISATION:
        rule &= Q(**{f"{p}recipient_org__isnull": True}) | Q(
            **{f"{p}recipient_org_id": organisation_id}
        )
    for name in dict.fromkeys(scopes):
        if connection.features.supports_json_field_contains:
            rule &= Q(**{f"{p}scopes__contains": [name]})
        else:
            # SQLite has no JSON containment; scope names are distinct quoted words in the array.
            rule &= Q(**{f"{p}scopes__icontains": f'"{name}"'})
    return rule


def narrowest_first[M: Any](consents: QuerySet[M], prefix: str = "") -> QuerySet[M]:
    """Consents naming an organisation before network-wide ones, then newest first.

    NULL sorts first on SQLite and last on PostgreSQL, so the nulls are placed explicitly.
    """
    return consents.order_by(
        F(f"{prefix}recipient_org_id").asc(nulls_last=True),
        f"-{prefix}given_on",
        f"-{prefix}created_at",
    )
