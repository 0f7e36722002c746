"""Forms of the account pages; allauth's password forms extended to clear a temporary password."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from setu.access.actor import actor_for_user
from setu.accounts import services


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    """allauth's change-password form; a changed password is no longer temporary."""

    def save(self) -> None:
        super().save()
        services.user_password_changed(actor=actor_for_user(self.user), user=self.user)


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    """allauth's set-a-new-password-from-the-email-link form, with the same bookkeeping."""

    def save(self) -> None:
        super().save()
        services.user_password_changed(actor=actor_for_user(self.user), user=self.user)


class ApiTokenForm(forms.Form):
    """Name and lifetime of a new API token."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses this token, e.g. “district MIS sync”."),
    )
    lifetime_days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        initial=90,
        choices=[
            (d, ngettext_lazy("%(days)d day", "%(days)d days", "days") % {"days": d})
            for d in services.TOKEN_LIFETIME_DAYS
        ],
    )
