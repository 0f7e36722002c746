"""The network's SOP step titles (``setu/data/fieldops/sop.json``) for the translators.

``makemessages`` cannot read JSON, so every base step's title is listed here, exactly as in
the file; ``ChecklistStep.shown_title`` translates it when the page is drawn.
``setu/fieldops/tests/test_sop_texts.py`` fails when the two drift apart (a title edited in the JSON must
be edited here too, and translated). An organisation's own steps are not here: they are shown
as the organisation wrote them.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

TITLES = (
    _(
        "Legal authority confirmed: search by or with the special police officer (ITPA s.15) or on a magistrate's order (ITPA s.16), or a warrant"
    ),  # legal_authority
    _(
        "At least two women police officers in the search party; a woman officer for every woman or girl"
    ),  # women_officers
    _(
        "Two or more respectable inhabitants of the locality, at least one a woman, to witness the search"
    ),  # witnesses
    _(
        "The Child Welfare Committee or magistrate to inform is named and reachable"
    ),  # authority_named
    _("Receiving shelter confirmed and a bed held"),  # shelter_confirmed
    _("Counsellor, interpreter and medical support arranged"),  # support_arranged
    _(
        "Team briefed: roles, buddy pairs, check-in interval, safety contact and police liaison"
    ),  # team_briefed
    _(
        "Search conducted before the witnesses and a search and seizure memo prepared"
    ),  # search_recorded
    _(
        "Victims identified and separated from the alleged traffickers; not treated as offenders"
    ),  # victims_identified
    _(
        "Age assessed from documents first, medical age determination only without them; treated as a child until shown otherwise"
    ),  # age_assessment
    _("Rescued persons moved in a separate vehicle with a woman officer"),  # safe_transport
    _("FIR registered under BNS s.143 and ITPA as applicable"),  # fir
    _("Statements recorded; statement before a magistrate arranged"),  # statements
    _(
        "Medical examination with consent, by a registered medical practitioner (a woman examined by or in the presence of a woman)"
    ),  # medical_exam
    _(
        "A child produced before the Child Welfare Committee within 24 hours, travel time excluded"
    ),  # production_cwc
    _(
        "An adult produced before the magistrate without delay, within 24 hours"
    ),  # production_magistrate
    _("Admitted to the receiving shelter; the shelter confirmed the held bed"),  # shelter_admission
    _(
        "Rescued persons recorded in Setu, checked against existing records, with a case"
    ),  # recorded_in_setu
    _("Survivor reached court and returned safely; no contact with the accused"),  # court_reached
    _("Debrief held; the lesson for the network written without names or places"),  # debrief
)
