"""Forms of the notifications context."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from setu.notifications.models import NoticeKind


class PreferenceForm(forms.Form):
    """Which channels a user receives notices on; the inbox is always on."""

    email = forms.BooleanField(label=_("Email me"), required=False)
    sms = forms.BooleanField(label=_("Send me an SMS / WhatsApp message"), required=False)
    sms_number = forms.CharField(
        label=_("Mobile number for SMS / WhatsApp"), max_length=16, required=False
    )
    urgent_only = forms.BooleanField(
        label=_("Outside the inbox, only urgent notices (re-trafficking, missing person found)"),
        required=False,
    )
    digest = forms.BooleanField(
        label=_("One email a day with what waits, instead of an email per notice"),
        help_text=_("Urgent notices (re-trafficking, missing person found) still come at once."),
        required=False,
    )


class InboxFilterForm(forms.Form):
    """Non-identifying filters of the inbox (GET)."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *list(NoticeKind.choices)], required=False
    )
    state = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("All")), ("unread", _("Unread")), ("read", _("Read"))],
        required=False,
    )
