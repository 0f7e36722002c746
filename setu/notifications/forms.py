"""Forms of the notifications context."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
