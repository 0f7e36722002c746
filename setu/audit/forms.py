"""The audit trail's filter form (GET: none of these fields can hold a survivor's name)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.audit.models import AuditAction, Outcome
from setu.audit.selectors import EntryFilters


class EntryFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Any")), *AuditAction.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Any")), *Outcome.choices]
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    actor = forms.ChoiceField(label=_("Who"), required=False)
    record_type = forms.ChoiceField(label=_("Record type"), required=False)

    def __init__(
        self,
        *args: Any,
        actor_choices: list[tuple[str, str]],
        record_types: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("Anyone")), *actor_choices]
        self.fields["record_type"].choices = [("", _("Any"))] + [(t, t) for t in record_types]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> EntryFilters:
        """The valid filters (an invalid field is ignored and shown with its error)."""
        if not self.is_bound:
            return EntryFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        actor = data.get("actor")
        return EntryFilters(
            action=data.get("action") or "",
            outcome=data.get("outcome") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            actor_user_id=uuid.UUID(actor) if actor else None,
            target_type=data.get("record_type") or "",
        )
