"""Forms of the members' feedback pages. The survivor's own form is plain HTML (icons beside
every answer) checked by ``services.answers_from``, the one place answers are validated."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from setu.core.forms import DateInput
from setu.feedback.models import Entitled, Safe, Serious, SubjectKind, Theme, Treated

LANGUAGE_CHOICES = [("", _("Her choice on the page")), *settings.LANGUAGES]


class AssistedForm(forms.Form):
    """The survivor's questions, asked and recorded by a caseworker with her."""

    subject = forms.ChoiceField(label=_("What is it about?"))
    treated = forms.TypedChoiceField(
        label=_("How was she treated?"),
        choices=[("", _("Not answered")), *Treated.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    entitled = forms.ChoiceField(
        label=_("Did she get what she was entitled to?"),
        choices=[("", _("Not answered")), *Entitled.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    felt_safe = forms.ChoiceField(
        label=_("Did she feel safe?"),
        choices=[("", _("Not answered")), *Safe.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    serious_kind = forms.ChoiceField(
        label=_("Did staff there hurt her, ask for money, threaten her or ask for sex?"),
        choices=[("", _("No")), *Serious.choices],
        required=False,
        help_text=_("If so, it goes at once to a complaints handler outside that organisation."),
    )
    comment = forms.CharField(
        label=_("Anything else, in her words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    language = forms.ChoiceField(label=_("Language she answered in"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, subjects: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects


class InviteForm(forms.Form):
    """How many invitations to make, about what, in which language, valid how long."""

    subject = forms.ChoiceField(label=_("About"), required=False)
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=500, initial=1)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=30)

    def __init__(
        self,
        *args: Any,
        subjects: list[tuple[str, str]],
        campaigns: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects
        self.fields["campaign"].choices = campaigns


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    subject = forms.ChoiceField(label=_("About"), required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())

    def __init__(self, *args: Any, subjects: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects


class CodeThemesForm(forms.Form):
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class RespondForm(forms.Form):
    note = forms.CharField(
        label=_("Answer to her (she reads it with her follow-up code)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class ChangeNoteForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), choices=[("", "—"), *Theme.choices], required=False)
    you_said = forms.CharField(label=_("You said"), max_length=300)
    we_did = forms.CharField(label=_("We did"), max_length=300)


class SubjectForm(forms.Form):
    """A police station, court, committee, shelter, office or scheme survivors can speak about."""

    kind = forms.ChoiceField(label=_("Kind"), choices=SubjectKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    district_id = forms.ChoiceField(label=_("District"), required=False)
    organisation_id = forms.ChoiceField(
        label=_("Organisation concerned"),
        required=False,
        help_text=_(
            "If it is a member of the network. Its members will never read this feedback one "
            "by one, and serious complaints about it go to a handler outside it."
        ),
    )
    scheme_id = forms.ChoiceField(label=_("Scheme"), required=False)
    is_active = forms.BooleanField(
        label=_("Offered to survivors"),
        required=False,
        initial=True,
        help_text=_("Untick to retire it: what was said about it stays in the reports."),
    )

    def __init__(
        self,
        *args: Any,
        districts: list[tuple[str, str]],
        organisations: list[tuple[str, str]],
        schemes: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district_id"].choices = [("", "—"), *districts]
        self.fields["organisation_id"].choices = [("", "—"), *organisations]
        self.fields["scheme_id"].choices = [("", "—"), *schemes]


class ComplaintDeskForm(forms.Form):
    """Name a colleague as a handler of serious complaints."""

    handler = forms.ChoiceField(label=_("Handler"))
    priority = forms.IntegerField(
        label=_("Order"),
        min_value=1,
        max_value=99,
        initial=1,
        help_text=_(
            "A complaint goes to the first active handler, in this order across the network, "
            "who is outside the organisation it is about."
        ),
    )

    def __init__(self, *args: Any, handlers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = handlers
