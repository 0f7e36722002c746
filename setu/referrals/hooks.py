"""What referrals tell the apps built on them, and the page parts those apps add: explicit calls.

Shelters hold beds for referrals, so shelters imports referrals and referrals may not import
shelters. Shelters registers here in its ``AppConfig.ready``:

* ``on_referral_ended``: a referral was declined (``no_bed`` when for lack of beds) or closed,
  in the transaction that ended it, so a failing handler rolls the change back (shelters
  gives the held bed back and counts unmet demand);
* ``provide_free_beds`` / ``provide_referral_beds``: free beds per shelter for the referral
  form, and the bed panel of a shelter referral's page.

Not Django signals: the list is explicit and typed; with nobody registered, nothing happens
and the pages show no beds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from setu.access.actor import Actor
    from setu.referrals.models import Referral

# How a referral ended.
DECLINED = "declined"
DECLINED_NO_BED = "declined_no_bed"
CLOSED = "closed"


@dataclass(frozen=True)
class ReferralEnded:
    referral: Referral
    how: str  # DECLINED, DECLINED_NO_BED or CLOSED
    actor: Actor | None


EndedHandler = Callable[[ReferralEnded], None]
FreeBeds = Callable[["Actor"], dict[Any, int]]
ReferralBeds = Callable[["Actor", "Referral"], Any]

_ended: list[EndedHandler] = []
_free_beds: list[FreeBeds] = []
_referral_beds: list[ReferralBeds] = []


def on_referral_ended(handler: EndedHandler) -> EndedHandler:
    """Call ``handler(event)`` when a referral is declined or closed."""
    if handler not in _ended:
        _ended.append(handler)
    return handler


def provide_free_beds(provider: FreeBeds) -> FreeBeds:
    """``provider(actor)`` gives free beds now per shelter (organisation id)."""
    if provider not in _free_beds:
        _free_beds.append(provider)
    return provider


def provide_referral_beds(provider: ReferralBeds) -> ReferralBeds:
    """``provider(actor, referral)`` gives the bed panel of a referral (None if not for beds)."""
    if provider not in _referral_beds:
        _referral_beds.append(provider)
    return provider


def referral_ended(event: ReferralEnded) -> None:
    """Tell the subscribers, in the caller's transaction."""
    for handler in _ended:
        handler(event)


def free_beds(actor: Actor) -> dict[Any, int]:
    """Free beds per shelter, from whoever provides them ({} if nobody does)."""
    out: dict[Any, int] = {}
    for provider in _free_beds:
        out.update(provider(actor))
    return out


def referral_beds(actor: Actor, referral: Referral) -> Any:
    """The first bed panel provided for ``referral``, or None."""
    for provider in _referral_beds:
        panel = provider(actor, referral)
        if panel is not None:
            return panel
    return None
