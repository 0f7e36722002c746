"""Every edit form, in every language, saved unchanged, changes nothing (issue 22.1).

A date rendered in the language's own format inside ``<input type="date">`` shows an empty box;
saving the page unchanged then erased or replaced the date. This test reads each edit page as a
browser would (the inputs, selects and textareas of its form), posts those values back
unchanged, and compares the database rows before and after.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import reverse

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Bookkeeping that any save touches; the test is about what the user sees and submits.
IGNORED = {"updated_at", "version"}


# HTML's value sanitisation: a browser shows an empty box for (and submits "") any value that is
# not a valid string of the input's type, e.g. "30/06/2026" in <input type="date">.
VALID = {
    "date": re.compile(r"\d{4,}-\d{2}-\d{2}"),
    "number": re.compile(r"-?(\d+|\d*\.\d+)([eE][-+]?\d+)?"),
    "time": re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?"),
}


def sanitised(kind: str, value: str) -> str:
    """The value a browser keeps for an input of ``kind``."""
    pattern = VALID.get(kind)
    return value if pattern is None or pattern.fullmatch(value) else ""


class _FormReader(HTMLParser):
    """The successful controls of every POST form of a page, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_text = ""
        self._option_selected = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._fields = []
            self.forms.append((a.get("action", ""), self._fields))
        if self._fields is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            value = a.get("value", "on" if kind == "checkbox" else "")
            self._fields.append((name, sanitised(kind, value)))
        elif tag == "select" and name:
            self._select, self._options = (name, "multiple" in a), []
        elif tag == "option" and self._select:
            self._option_value, self._option_selected = a.get("value"), "selected" in a
            self._option_text = ""
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data
        elif self._select:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._select:
            value = self._option_text.strip() if self._option_value is None else self._option_value
            self._options.append((value, self._option_selected))
        elif tag == "select" and self._select and self._fields is not None:
            name, multiple = self._select
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]  # a browser submits the first option
            self._fields.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._fields is not None:
            # HTML drops one newline right after <textarea>; Django writes one there.
            text = self._text[1:] if self._text.startswith("\n") else self._text
            self._fields.append((self._textarea, text))
            self._textarea = None
        elif tag == "form":
            self._fields = None


def submitted_values(html: str, url: str) -> dict[str, list[str]]:
    """What a browser would post from the page's form that saves to ``url``."""
    reader = _FormReader()
    reader.feed(html)
    forms = [fields for action, fields in reader.forms if action in ("", url)]
    assert forms, f"no POST form for {url}"
    data: dict[str, list[str]] = {}
    for name, value in forms[0]:
        data.setdefault(name, []).append(value)
    return data


def snapshot(rows: list[models.Model]) -> list[dict[str, Any]]:
    """The stored values of ``rows`` (many-to-many included), read afresh from the database."""
    out = []
    for row in rows:
        fresh = type(row)._default_manager.get(pk=row.pk)
        values = {
            f.attname: getattr(fresh, f.attname)
            for f in fresh._meta.concrete_fields
            if f.attname not in IGNORED
        }
        for m2m in fresh._meta.many_to_many:
            values[m2m.name] = sorted(
                str(pk) for pk in getattr(fresh, m2m.name).values_list("pk", flat=True)
            )
        out.append(values)
    return out


@dataclass
class EditPage:
    who: str
    url: str
    rows: list[models.Model]


def _person(p: Any) -> EditPage:
    # A girl whose age was estimated two years ago: the date must survive, or she turns 16 again.
    person = p.person
    person.age_estimated_on = datetime.date(2024, 6, 30)
    person.estimated_age = 16
    person.save()
    return EditPage("lead", reverse("registry:person-edit", args=[person.pk]), [person])


def _person_with_birth_date(p: Any) -> EditPage:
    from setu.registry.models import DatePrecision
    from setu.registry.tests.factories import CasePersonFactory

    person = CasePersonFactory(case=p.case, person__owner_org=p.own_org).person
    person.estimated_age, person.age_estimated_on = None, None
    person.birth_date, person.birth_date_precision = datetime.date(2008, 6, 30), DatePrecision.DAY
    person.save()
    return EditPage("lead", reverse("registry:person-edit", args=[person.pk]), [person])


def _case(p: Any) -> EditPage:
    p.case.opened_on = datetime.date(2025, 12, 7)
    p.case.summary = "Rescued from a placement agency."
    p.case.save()
    return EditPage("lead", reverse("registry:case-edit", args=[p.case.pk]), [p.case])


def _event(p: Any) -> EditPage:
    from setu.registry.tests.factories import EventFactory

    event = EventFactory(case=p.case, occurred_on=datetime.date(2025, 1, 13), person=p.person)
    return EditPage("lead", reverse("registry:event-edit", args=[event.pk]), [event])


def _service_record(p: Any) -> EditPage:
    from setu.registry.tests.factories import ServiceFactory

    service = ServiceFactory(
        case=p.case,
        person=p.person,
        started_on=datetime.date(2025, 2, 3),
        ended_on=datetime.date(2025, 11, 28),
        provider_org=p.partner_org,
    )
    return EditPage("lead", reverse("registry:service-edit", args=[service.pk]), [service])


def _exploitation(p: Any) -> EditPage:
    return EditPage("lead", reverse("registry:exploitation-edit", args=[p.case.pk]), [p.case])


def _control_means(p: Any) -> EditPage:
    return EditPage("lead", reverse("registry:control-means-edit", args=[p.case.pk]), [p.case])


def _directory_service(p: Any) -> EditPage:
    from setu.directory.tests.factories import ServiceFactory

    service = ServiceFactory(organisation=p.own_org)
    return EditPage("org_admin", reverse("directory:service-edit", args=[service.pk]), [service])


def _stage(p: Any) -> EditPage:
    from setu.entitlements.tests.factories import ClaimFactory, StageFactory
    from setu.registry.models import CasePerson

    link = CasePerson.objects.get(case=p.case, person=p.person)
    stage = StageFactory(
        claim=ClaimFactory(link=link),
        next_hearing_on=datetime.date(2026, 1, 15),
        hearing_dates=["2026-01-15"],  # as stage_update keeps it
        order_on=datetime.date(2025, 10, 1),
        paid_on=datetime.date(2025, 12, 31),
        appeal_deadline=datetime.date(2026, 2, 28),
        amount_awarded=Decimal("300000"),
        amount_paid=Decimal("150000.50"),
    )
    return EditPage("lead", reverse("entitlements:stage-edit", args=[stage.pk]), [stage])


def _scheme(p: Any) -> EditPage:
    from setu.entitlements.tests.factories import SchemeFactory

    scheme = SchemeFactory(short_name="PMAY-G", description="Housing.\nFor rural households.")
    return EditPage("coordinator", reverse("entitlements:scheme-edit", args=[scheme.pk]), [scheme])


def _organisation(p: Any) -> EditPage:
    url = reverse("orgs:organisation-edit", args=[p.own_org.pk])
    return EditPage("org_admin", url, [p.own_org])


def _member(p: Any) -> EditPage:
    membership = p.users["counsellor"].memberships.get()
    url = reverse("orgs:member-edit", args=[membership.pk])
    return EditPage("org_admin", url, [membership, membership.user])


def _bed_group(p: Any) -> EditPage:
    from setu.shelters.tests.factories import BedGroupFactory

    group = BedGroupFactory(shelter=p.partner_org, label="Girls' wing", notes="Near the gate")
    return EditPage("partner_admin", reverse("shelters:bed-group-edit", args=[group.pk]), [group])


def _notification_preferences(p: Any) -> EditPage:
    from setu.notifications import selectors

    pref = selectors.preference_get(actor=p["lead"])
    pref.save()  # reading gives unsaved defaults; the page edits a stored choice
    return EditPage("lead", reverse("notifications:preferences"), [pref])


def _proceeding(p: Any) -> EditPage:
    from setu.legal.tests.factories import ProceedingFactory

    proceeding = ProceedingFactory(
        case=p.case,
        stage="charges",
        district_id=482,
        chargesheet_on=datetime.date(2026, 3, 30),
        cognisance_on=datetime.date(2026, 4, 2),
        charges_framed_on=datetime.date(2026, 6, 1),
        cnr_number="MHMM010000422026",
        reminder_consent_on=datetime.date(2026, 2, 1),
        reminder_phone="9800000001",
        reminder_language="hi",
        notes="Witness moved to Bihar.\nNeeds escort.",
    )
    url = reverse("legal:proceeding-edit", args=[proceeding.pk])
    return EditPage("org_admin", url, [proceeding])


def _accused(p: Any) -> EditPage:
    from setu.legal.tests.factories import AccusedFactory, JudgmentFactory, ProceedingFactory

    proceeding = ProceedingFactory(case=p.case, charges_framed_on=datetime.date(2026, 3, 1))
    accused = AccusedFactory(
        proceeding=proceeding,
        custody="bail",
        arrested_on=datetime.date(2026, 1, 12),
        bail_on=datetime.date(2026, 2, 27),
    )
    verdict = JudgmentFactory(
        accused=accused,
        section="BNS-143",
        verdict="convicted",
        decided_on=datetime.date(2026, 5, 30),
        sentence="10 years",
    )
    url = reverse("legal:accused-edit", args=[accused.pk])
    return EditPage("org_admin", url, [accused, verdict])


def _measure(p: Any) -> EditPage:
    from setu.legal.tests.factories import MeasureFactory, ProceedingFactory

    measure = MeasureFactory(
        proceeding=ProceedingFactory(case=p.case), kind="travel", detail="Escort from Patna"
    )
    return EditPage("org_admin", reverse("legal:measure-edit", args=[measure.pk]), [measure])


def _hearing(p: Any) -> EditPage:
    from setu.legal.tests.factories import HearingFactory, ProceedingFactory

    hearing = HearingFactory(
        proceeding=ProceedingFactory(case=p.case),
        on=datetime.date(2026, 3, 30),
        outcome="adjourned",
        adjournment_reason="no_escort",
        survivor_needed=True,
    )
    return EditPage("org_admin", reverse("legal:hearing-edit", args=[hearing.pk]), [hearing])


EDIT_PAGES: dict[str, Callable[[Any], EditPage]] = {
    "person (estimated age)": _person,
    "person (date of birth)": _person_with_birth_date,
    "case": _case,
    "event": _event,
    "service record": _service_record,
    "exploitation": _exploitation,
    "means of control": _control_means,
    "directory service": _directory_service,
    "compensation stage": _stage,
    "scheme": _scheme,
    "organisation": _organisation,
    "member": _member,
    "bed group": _bed_group,
    "notification preferences": _notification_preferences,
    "legal proceeding": _proceeding,
    "legal accused with verdicts": _accused,
    "legal protection measure": _measure,
    "legal hearing": _hearing,
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", list(EDIT_PAGES))
def test_saving_an_edit_form_unchanged_changes_nothing(personas, page, language):
    edit = EDIT_PAGES[page](personas)
    client = Client()
    client.force_login(personas.users[edit.who], backend=settings.AUTHENTICATION_BACKENDS[-1])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    before = snapshot(edit.rows)

    response = client.get(edit.url)
    assert response.status_code == 200
    data = submitted_values(response.content.decode(), edit.url)
    saved = client.post(edit.url, data)

    # A redirect is a save; a page shown again would mean the form refused its own values.
    assert saved.status_code == 302, f"{page} in {language} refused its own values"
    assert snapshot(edit.rows) == before
