"""Forms of the page shell."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ActingAsForm(forms.Form):
    """Which of the user's memberships they act for."""

    membership = forms.ChoiceField(label=_("Act for"), widget=forms.RadioSelect)

    def __init__(self, *args: object, memberships: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["membership"].choices = [
            (str(m.pk), f"{m.organisation.name} — {m.get_role_display()}") for m in memberships
        ]
