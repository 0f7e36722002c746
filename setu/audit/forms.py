"""The audit trail's filter forms. The filter is a GET form whose fields cannot hold a survivor's
name (a person or case is filtered by its UUID); a case reference is looked up by POST."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from setu.audit.models import AuditAction, Outcome
from setu.audit.selectors import EntryFilters
from setu.core.forms import DateInput


def record_type_label(target_type: str) -> str:
    """A kind of record as people say it ("case", not "registry.case")."""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return target_type


class EntryFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Any")), *AuditAction.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Any")), *Outcome.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    actor = forms.ChoiceField(label=_("Who"), required=False)
    record_type = forms.ChoiceField(label=_("Record type"), required=False)
    # Set by the links "Audit trail of this case / person" and by the reference look-up.
    case = forms.UUIDField(required=False, widget=forms.HiddenInput)
    person = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        actor_choices: list[tuple[str, str]],
        record_types: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("Anyone")), *actor_choices]
        self.fields["record_type"].choices = [("", _("Any"))] + [
            (t, record_type_label(t)) for t in record_types
        ]

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
            case_id=data.get("case"),
            person_id=data.get("person"),
        )


class CaseLookupForm(forms.Form):
    """A case reference whose entries to show (POST, so the reference stays out of URLs)."""

    reference = forms.CharField(label=_("Case reference"), max_length=40)
