"""Demo directory: what each organisation of the demo network offers, where and for whom.

Called by ``setu.referrals.demo.load_network_demo`` after the demo loader has created the
organisations. Entries are invented but shaped like real ones: a shelter home offers shelter and
counselling, a legal aid group legal aid and compensation claims, a source-area NGO family
tracing, receiving survivors home, livelihood and help with schemes.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from setu.directory.models import Language, Service, Sex
from setu.directory.models import ServiceType as S
from setu.orgs.models import Organisation
from setu.orgs.models import OrganisationType as T

# Languages spoken in each state (LGD state code); every service also works in English and Hindi.
STATE_LANGUAGES: dict[int, tuple[str, ...]] = {
    19: (Language.BENGALI,),
    18: (Language.ASSAMESE, Language.BENGALI),
    20: (Language.SANTALI,),
    21: (Language.ODIA,),
    27: (Language.MARATHI,),
    24: (Language.GUJARATI,),
    36: (Language.TELUGU, Language.URDU),
    28: (Language.TELUGU,),
    29: (Language.KANNADA,),
    33: (Language.TAMIL,),
    3: (Language.PUNJABI,),
    32: (Language.MALAYALAM,),
}


@dataclass(frozen=True)
class Offer:
    """One kind of service an organisation type typically offers."""

    service_type: str
    name: str
    description: str
    sexes: tuple[str, ...] = ()
    age_min: int | None = None
    age_max: int | None = None
    eligibility: str = ""
    hours: str = "Mon–Sat 10:00–18:00"
    share: float = 1.0  # how many organisations of the type offer it
    state_wide: bool = False


WOMEN_GIRLS = (Sex.FEMALE,)

OFFERS: dict[str, tuple[Offer, ...]] = {
    T.SHELTER_HOME: (
        Offer(S.SHELTER, "Protective shelter home",
              "Safe residential care after rescue: food, clothing, a medical check-up on "
              "admission, schooling for girls, and support through the CWC and court process. "
              "Admissions at any hour on a CWC, police or magistrate's order.",
              WOMEN_GIRLS, eligibility="Girls under 18 on a CWC order; women on their own "
              "request or a magistrate's order", hours="24 hours, every day"),
        Offer(S.COUNSELLING, "Trauma counselling for residents and former residents",
              "Individual and group counselling by trained counsellors; psychiatric referral "
              "to the district hospital when needed.", WOMEN_GIRLS),
        Offer(S.MEDICAL, "Medical care on admission",
              "Health check-up, tests and treatment through the visiting doctor and the "
              "government hospital; accompaniment for medico-legal examinations.",
              WOMEN_GIRLS, share=0.6),
        Offer(S.EDUCATION, "Bridge school for girls in care",
              "Catch-up classes and enrolment in the nearby government school or open "
              "schooling (NIOS).", WOMEN_GIRLS, 6, 18, share=0.5),
    ),
    T.LEGAL_AID: (
        Offer(S.LEGAL_AID, "Legal representation for survivors",
              "A lawyer for the survivor in trafficking trials (BNS 143/144, ITPA, POCSO): "
              "opposing bail, preparing for her statement and evidence, protecting her "
              "identity in court.", eligibility="Free for survivors of trafficking"),
        Offer(S.COMPENSATION, "Victim-compensation claims and appeals",
              "Applications to the District Legal Services Authority under section 396 BNSS "
              "(357A CrPC) and the NALSA scheme, and appeals to the State authority and the "
              "High Court."),
    ),
    T.SOURCE_NGO: (
        Offer(S.FAMILY_TRACING, "Home verification and family tracing",
              "Visits the family and village, checks whether going home is safe, and sends a "
              "home investigation report to the CWC or the referring shelter within 15 days."),
        Offer(S.REPATRIATION, "Receiving survivors home",
              "Meets survivors at the station with the police escort, accompanies them home "
              "and follows up for two years.", hours="On call for arrivals, every day"),
        Offer(S.LIVELIHOOD, "Skills training and livelihood support",
              "Tailoring, beauty work and computer courses; links to self-help groups and "
              "bank loans.", WOMEN_GIRLS, 16, None),
        Offer(S.GOVERNMENT_SCHEMES, "Help with government schemes and documents",
              "Aadhaar, ration card, bank account, pensions and scheme applications, filled in "
              "and followed up at the block office."),
        Offer(S.SHELTER, "Transit home",
              "A few beds for survivors on their way home, for a night or two until the family "
              "or the CWC receives them.", WOMEN_GIRLS, share=0.3, hours="24 hours, every day"),
        Offer(S.COUNSELLING, "Community counselling", "Counselling at home and in groups "
              "in the survivor's own language.", share=0.5),
        Offer(S.EDUCATION, "Back to school", "Re-enrolment in school, fees and uniforms, "
              "and a tutor in the first year.", (), 6, 18, share=0.5),
    ),
    T.DESTINATION_NGO: (
        Offer(S.REPATRIATION, "Repatriation and escort home",
              "Arranges the restoration order, tickets and a female escort to the home state, "
              "and hands the survivor over to the receiving organisation or CWC."),
        Offer(S.COUNSELLING, "Counselling after rescue",
              "Counselling in the first weeks after a raid, in shelters and in the community."),
        Offer(S.MEDICAL, "Health camps and hospital accompaniment",
              "Health camps in red-light areas and labour settlements; accompaniment to "
              "government hospitals.", share=0.5),
        Offer(S.LEGAL_AID, "Court accompaniment", "A caseworker goes with the survivor to "
              "every hearing and to record her statement before the magistrate.", share=0.5),
        Offer(S.SHELTER, "Short-stay shelter (Swadhar Greh)",
              "Short-stay home for women in difficult circumstances, with counselling and "
              "skills training.", WOMEN_GIRLS, 18, None, share=0.5, hours="24 hours, every day"),
    ),
    T.POLICE_AHTU: (
        Offer(S.REPATRIATION, "Police escort for inter-state transfer",
              "Escort by women police officers for transfers and repatriations ordered by a "
              "CWC or court.", hours="24 hours, every day"),
    ),
    T.CHILD_WELFARE_COMMITTEE: (
        Offer(S.REPATRIATION, "Restoration of children",
              "Orders for the restoration of rescued children to their families or transfer "
              "to their home district's CWC, after a social investigation.", (), 0, 17,
              hours="Sittings Mon–Fri 11:00–16:00"),
        Offer(S.FAMILY_TRACING, "Social investigation reports",
              "Orders and reviews the social investigation report through the District Child "
              "Protection Unit.", (), 0, 17),
    ),
    T.GOVERNMENT_DEPARTMENT: (
        Offer(S.GOVERNMENT_SCHEMES, "Scheme enrolment desk",
              "Ujjawala, Swadhar Greh, Mission Vatsalya sponsorship and state schemes for "
              "survivors: enrolment and grievances.", state_wide=True),
        Offer(S.LIVELIHOOD, "Skilling through state missions",
              "Places survivors in state skilling programmes (DDU-GKY, PMKVY) with a stipend.",
              (), 18, 35, state_wide=True),
    ),
    T.SURVIVOR_COLLECTIVE: (
        Offer(S.PEER_SUPPORT, "Peer support by survivors",
              "Survivor leaders visit, listen and stay in touch; support groups every month."),
        Offer(S.LIVELIHOOD, "Survivor-led livelihood groups",
              "Collective enterprises, savings groups and help to find work.", WOMEN_GIRLS, 18,
              None),
        Offer(S.GOVERNMENT_SCHEMES, "Help with entitlements",
              "Survivor leaders help with compensation, ration cards and pensions, and go "
              "with survivors to the offices."),
    ),
    T.NETWORK_BODY: (
        Offer(S.FAMILY_TRACING, "Inter-state tracing helpdesk",
              "Finds a member organisation near the survivor's home, anywhere in the network's "
              "states, within two working days.", state_wide=True),
    ),
}  # fmt: skip

_DISABILITY_TYPES = frozenset({S.SHELTER, S.MEDICAL, S.COUNSELLING})


def _languages(org: Organisation, state_codes: list[int]) -> list[str]:
    codes = [Language.ENGLISH, Language.HINDI]
    for code in state_codes:
        codes.extend(c for c in STATE_LANGUAGES.get(code, ()) if c not in codes)
    return [str(c) for c in codes]


def load_demo(*, rng: random.Random, now: datetime.datetime) -> dict[str, int]:
    """Directory entries for every active organisation that has none yet; returns counts."""
    orgs = list(
        Organisation.objects.filter(is_active=True, services_offered__isnull=True)
        .select_related("base_district")
        .prefetch_related("districts", "states")
        .order_by("name")
    )
    services: list[Service] = []
    district_links: list[tuple[Service, list[int]]] = []
    state_links: list[tuple[Service, list[int]]] = []
    for org in orgs:
        districts = sorted({d.pk for d in org.districts.all()} | (
            {org.base_district_id} if org.base_district_id else set()
        ))  # fmt: skip
        states = sorted({s.pk for s in org.states.all()} | (
            {org.base_district.state_id} if org.base_district else set()
        ))  # fmt: skip
        languages = _languages(org, states)
        for offer in OFFERS.get(org.org_type, ()):
            wanted = offer.share >= 1 or rng.random() < offer.share
            # A Swadhar Greh runs a shelter whatever the dice say (the demo's Pune NGO does).
            if offer.service_type == S.SHELTER and "swadhar" in org.name.lower():
                wanted = True
            if not wanted:
                continue
            service = Service(
                organisation=org,
                service_type=offer.service_type,
                name=offer.name,
                description=offer.description,
                age_min=offer.age_min,
                age_max=offer.age_max,
                sexes=list(offer.sexes),
                languages=languages,
                disability_access=offer.service_type in _DISABILITY_TYPES and rng.random() < 0.5,
                eligibility_notes=offer.eligibility,
                phone=org.phone,
                email=org.email,
                hours=offer.hours,
            )
            service.full_clean(exclude=["organisation"])
            services.append(service)
            if offer.state_wide or not districts:
                state_links.append((service, states))
            else:
                district_links.append((service, districts))
    Service.objects.bulk_create(services)
    district_rows = [
        Service.districts.through(service_id=s.pk, district_id=d)
        for s, codes in district_links
        for d in codes
    ]
    state_rows = [
        Service.states.through(service_id=s.pk, state_id=c)
        for s, codes in state_links
        for c in codes
    ]
    Service.districts.through.objects.bulk_create(district_rows)
    Service.states.through.objects.bulk_create(state_rows)
    return {
        "directory_services": len(services),
        "directory_district_links": len(district_rows),
        "directory_state_links": len(state_rows),
    }
