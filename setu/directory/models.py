"""The service directory: what each member organisation offers, where, for whom, how to reach it.

Field names follow the Open Referral Human Services Data Specification (HSDS 3.0) where they
can, so that the export in ``setu/directory/hsds.py`` is a plain mapping.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from setu.core.models import BaseModel


class ServiceType(models.TextChoices):
    """What a survivor may need; the ten kinds of help the network offers."""

    SHELTER = "shelter", _("Shelter")
    LEGAL_AID = "legal_aid", _("Legal aid")
    MEDICAL = "medical", _("Medical care")
    COUNSELLING = "counselling", _("Mental-health counselling")
    EDUCATION = "education", _("Education")
    LIVELIHOOD = "livelihood", _("Skills and livelihood")
    # Survivor collectives as referral partners (issue 26).
    PEER_SUPPORT = "peer_support", _("Peer support by survivors")
    REPATRIATION = "repatriation", _("Repatriation and escort")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    COMPENSATION = "compensation", _("Victim-compensation claims")
    GOVERNMENT_SCHEMES = "government_schemes", _("Help with government schemes")


class Sex(models.TextChoices):
    """Who a service takes, by sex; an empty list on a service means everyone."""

    FEMALE = "female", _("Women and girls")
    MALE = "male", _("Men and boys")
    TRANSGENDER = "transgender", _("Transgender persons")


class Language(models.TextChoices):
    """Languages a service can work in (ISO 639 codes)."""

    ENGLISH = "en", _("English")
    HINDI = "hi", _("Hindi")
    BENGALI = "bn", _("Bengali")
    ODIA = "or", _("Odia")
    MARATHI = "mr", _("Marathi")
    TELUGU = "te", _("Telugu")
    TAMIL = "ta", _("Tamil")
    KANNADA = "kn", _("Kannada")
    MALAYALAM = "ml", _("Malayalam")
    GUJARATI = "gu", _("Gujarati")
    PUNJABI = "pa", _("Punjabi")
    ASSAMESE = "as", _("Assamese")
    URDU = "ur", _("Urdu")
    NEPALI = "ne", _("Nepali")
    SANTALI = "sat", _("Santali")


class Service(BaseModel):
    """One service an organisation offers, the districts it serves and who it is for."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="services_offered"
    )
    service_type = models.CharField(
        _("type of service"), max_length=24, choices=ServiceType.choices
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # A service covers the districts listed and, for state-wide services, whole states.
    districts = models.ManyToManyField(
        "orgs.District", blank=True, related_name="services", verbose_name=_("districts served")
    )
    states = models.ManyToManyField(
        "orgs.State", blank=True, related_name="services", verbose_name=_("whole states served")
    )
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    sexes = models.JSONField(_("for"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    disability_access = models.BooleanField(
        _("accessible to persons with disabilities"), default=False
    )
    eligibility_notes = models.CharField(_("other eligibility"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__name", "service_type", "name"]
        indexes = [models.Index(fields=["service_type", "is_active"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Eligibility must make sense: an age range that is not upside down, known codes."""
        errors: dict[str, list[str]] = {}
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            errors["age_max"] = [str(_("The maximum age is below the minimum age."))]
        if not isinstance(self.sexes, list) or set(self.sexes) - set(Sex.values):
            errors["sexes"] = [str(_("Unknown value."))]
        if not isinstance(self.languages, list) or set(self.languages) - set(Language.values):
            errors["languages"] = [str(_("Unknown language."))]
        if errors:
            raise ValidationError(errors)

    def get_sexes_display(self) -> list[str]:
        return [str(Sex(code).label) for code in self.sexes if code in Sex.values]

    def get_languages_display(self) -> list[str]:
        return [str(Language(code).label) for code in self.languages if code in Language.values]
