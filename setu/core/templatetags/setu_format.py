"""Template filters for how Setu writes numbers: money in rupees with lakh grouping."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from setu.core.countries import country_name

register = template.Library()


def indian_grouping(digits: str) -> str:
    """``"300000"`` → ``"3,00,000"``: the last three digits, then groups of two (lakh, crore)."""
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        head, group = head[:-2], head[-2:]
        groups.insert(0, group)
    if head:
        groups.insert(0, head)
    return ",".join([*groups, tail])


@register.filter
def rupees(value: Any) -> str:
    """An amount as ``₹3,00,000`` (paise shown only when there are any); ``—`` when none."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return "—"
    sign = "-" if amount < 0 else ""
    amount = abs(amount).quantize(Decimal("0.01"))
    whole, paise = divmod(amount, 1)
    text = indian_grouping(str(int(whole)))
    if paise:
        text += f".{int(paise * 100):02d}"
    return f"{sign}₹{text}"


@register.filter
def country(code: str) -> str:
    """A country by name ("Nepal"), not by its ISO code."""
    return country_name(code or "")
