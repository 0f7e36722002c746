"""Forms of the entitlement pages; they parse input, services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.entitlements.models import ApplicationStatus, SchemeCategory, StageOutcome


class _DateInput(forms.DateInput):
    """A browser date picker; its value is ISO in every language, or the picker shows nothing."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=format or "%Y-%m-%d")


class ApplicationForm(forms.Form):
    """A new application of a survivor of the case to a scheme."""

    person = forms.ChoiceField(label=_("Survivor"))
    scheme = forms.ChoiceField(label=_("Scheme"))
    status = forms.ChoiceField(
        label=_("Status"), choices=ApplicationStatus.choices, initial=ApplicationStatus.APPLIED
    )
    applied_on = forms.DateField(label=_("Applied on"), widget=_DateInput)
    reference_number = forms.CharField(label=_("Application number"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, persons: Any = (), schemes: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(str(p.pk), p.display_name) for p in persons]
        self.fields["scheme"].choices = [(str(s.pk), s.name) for s in schemes]


class StatusForm(forms.Form):
    """Move an application to a new status on a date."""

    status = forms.ChoiceField(label=_("New status"), choices=ApplicationStatus.choices)
    changed_on = forms.DateField(label=_("On"), widget=_DateInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    amount = forms.DecimalField(label=_("Amount (₹)"), required=False, min_value=0)


class ClaimForm(forms.Form):
    """Open a victim-compensation claim before the DLSA."""

    person = forms.ChoiceField(label=_("Survivor"))
    scheme = forms.ChoiceField(label=_("Compensation scheme"), required=False)
    filed_on = forms.DateField(label=_("Filed on"), widget=_DateInput)
    amount_claimed = forms.DecimalField(label=_("Amount claimed (₹)"), min_value=0, initial=0)
    reference = forms.CharField(label=_("File number"), required=False)

    def __init__(self, *args: Any, persons: Any = (), schemes: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(str(p.pk), p.display_name) for p in persons]
        self.fields["scheme"].choices = [("", "—")] + [(str(s.pk), s.name) for s in schemes]


class StageForm(forms.Form):
    """Hearing, order, award, payment and appeal deadline of one stage."""

    reference = forms.CharField(label=_("File / case number"), required=False)
    next_hearing_on = forms.DateField(label=_("Next hearing"), required=False, widget=_DateInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=StageOutcome.choices)
    order_on = forms.DateField(label=_("Order dated"), required=False, widget=_DateInput)
    order_summary = forms.CharField(
        label=_("What the order says"), required=False, widget=forms.Textarea
    )
    amount_claimed = forms.DecimalField(label=_("Amount claimed (₹)"), min_value=0)
    amount_awarded = forms.DecimalField(label=_("Amount awarded (₹)"), min_value=0)
    amount_paid = forms.DecimalField(label=_("Amount paid (₹)"), min_value=0)
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=_DateInput)
    appeal_deadline = forms.DateField(label=_("Appeal deadline"), required=False, widget=_DateInput)


class AppealForm(forms.Form):
    """File an appeal of a stage's order."""

    filed_on = forms.DateField(label=_("Appeal filed on"), widget=_DateInput)
    reference = forms.CharField(label=_("File number"), required=False)


class SchemeForm(forms.Form):
    """A scheme of the network's list."""

    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=SchemeCategory.choices)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
