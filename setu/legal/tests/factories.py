"""Factories for the legal context; the default proceeding is a criminal case with an FIR."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from setu.legal import services
from setu.legal.models import (
    Accused,
    Appeal,
    AppealCourt,
    Appellant,
    Hearing,
    Judgment,
    MeasureKind,
    Proceeding,
    ProtectionMeasure,
    Stage,
    Track,
    Verdict,
    WitnessPlan,
)
from setu.registry.tests.factories import CaseFactory


class ProceedingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proceeding

    case = factory.SubFactory(CaseFactory)
    owner_org = factory.SelfAttribute("case.owner_org")
    track = Track.CRIMINAL
    stage = Stage.FIR
    police_station = "Kamathipura PS"
    fir_number = "0042/2026"
    fir_date = datetime.date(2026, 1, 10)
    sections = factory.LazyFunction(lambda: ["BNS-143", "ITPA-5"])
    court = "Sessions Court, Mumbai"


class AccusedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accused

    proceeding = factory.SubFactory(ProceedingFactory)
    name = factory.Sequence(lambda n: f"Accused {n}")


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hearing

    proceeding = factory.SubFactory(ProceedingFactory)
    on = datetime.date(2026, 3, 2)
    court = "Sessions Court, Mumbai"

    @classmethod
    def _create(cls, model_class: type[Hearing], *args: Any, **kwargs: Any) -> Hearing:
        # With its proceeding's place, as the services write every hearing.
        hearing = services.hearing_placed(model_class(*args, **kwargs), kwargs["proceeding"])
        hearing.save()
        return hearing


class JudgmentFactory(factory.django.DjangoModelFactory):
    """A conviction on one accused for BNS 143."""

    class Meta:
        model = Judgment

    accused = factory.SubFactory(AccusedFactory)
    section = "BNS-143"
    verdict = Verdict.CONVICTED
    decided_on = datetime.date(2026, 7, 9)

    @classmethod
    def _create(cls, model_class: type[Judgment], *args: Any, **kwargs: Any) -> Judgment:
        # With its proceeding and the proceeding's place, as the services write every verdict.
        judgment = model_class(*args, **kwargs)
        services.verdict_placed(judgment, judgment.accused.proceeding).save()
        return judgment


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtectionMeasure

    proceeding = factory.SubFactory(ProceedingFactory)
    kind = MeasureKind.STATEMENT_183
    on = datetime.date(2026, 1, 20)


class WitnessPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WitnessPlan

    hearing = factory.SubFactory(HearingFactory)
    proceeding = factory.SelfAttribute("hearing.proceeding")
    travel_from = "Murshidabad"
    travel_to = "Mumbai"


class AppealFactory(factory.django.DjangoModelFactory):
    """A pending appeal by the State to the High Court (no verdicts named)."""

    class Meta:
        model = Appeal

    proceeding = factory.SubFactory(ProceedingFactory)
    appellant = Appellant.STATE
    court_level = AppealCourt.HIGH_COURT
    court = "High Court of Bombay"
    filed_on = datetime.date(2026, 6, 1)

    @classmethod
    def _create(cls, model_class: type[Appeal], *args: Any, **kwargs: Any) -> Appeal:
        # With its proceeding's place, as the services write every appeal.
        appeal = services.appeal_placed(model_class(*args, **kwargs), kwargs["proceeding"])
        appeal.save()
        return appeal
