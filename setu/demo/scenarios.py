"""Hand-written story-lines in the demo network, each with the accounts that show it.

The synthetic population supplies volume; these few cases are fixed (same references whatever
``--persons`` and ``--seed`` are) so that docs/demo.md can say "log in as X, open case Y".
``Scenario.sees`` lists what the access policy must let each account see, and a test checks
every line against the policy, so the guide cannot drift from the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from setu.consent.models import ConsentGiver, ConsentScope
from setu.orgs.models import Role
from setu.registry.models import (
    Address,
    AddressKind,
    AliasKind,
    Case,
    CaseControlMeans,
    CaseExploitation,
    CaseRole,
    CaseStatus,
    DatePrecision,
    EventKind,
    ExploitationForm,
    Gender,
    MeansOfControl,
    PerpetratorRole,
    Person,
    PersonAlias,
    Phone,
    PhoneKind,
    RelationshipToTrafficker,
    ServiceType,
    TraffickingStatus,
)

if TYPE_CHECKING:
    from setu.demo.loader import Builder

MATCHING = [ConsentScope.MATCHING, ConsentScope.STATISTICS]
REFERRAL = [ConsentScope.IDENTITY, ConsentScope.CONTACT, ConsentScope.CASE_HISTORY]


@dataclass(frozen=True)
class Scenario:
    """A story-line: what happened, which cases hold it, and who can (not) see each case."""

    key: str
    title: str
    story: str
    cases: tuple[str, ...]
    # (username, case reference, may view) — checked against the access policy by a test.
    sees: tuple[tuple[str, str, bool], ...] = field(default=())
    # Ground truth for the matching story: case references that hold the same human being.
    same_person: tuple[tuple[str, str], ...] = field(default=())


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "missing-then-rescued",
        "Reported missing in Murshidabad, rescued in Mumbai under another spelling",
        "Rupa Khatun (16) left Kalikapur Char with a woman who promised a beauty-parlour job. "
        "Her mother reported her missing to Padma Char Mahila Samiti (PCMS/2024/0001). Five "
        "months later the Mumbai AHTU and Saagar Sakhi Trust rescued a girl recorded as "
        "'Roopa Khatoon', alias Rupi, 17, from 'Murshidabad Dist., W.B.' (SST/2024/0001). The "
        "family phone matches. With the Child Welfare Committee's consent, Saagar Sakhi shared "
        "the case with Padma Char for the home investigation and her return.",
        ("PCMS/2024/0001", "SST/2024/0001"),
        sees=(
            ("murshidabad-ngo.caseworker", "PCMS/2024/0001", True),
            ("murshidabad-ngo.caseworker", "SST/2024/0001", True),
            ("mumbai-ngo.caseworker", "SST/2024/0001", True),
            ("mumbai-ngo.caseworker", "PCMS/2024/0001", False),
            ("pune-ngo.caseworker", "SST/2024/0001", False),
            ("mumbai-ngo.analyst", "SST/2024/0001", False),
        ),
        same_person=(("PCMS/2024/0001", "SST/2024/0001"),),
    ),
    Scenario(
        "sisters",
        "Two sisters: same father, village and phone, different people",
        "Sunita (16) and Anita (15) Kumari of Karamtoli, Gumla, left together for housework in "
        "Delhi. Koel-Karo Adivasi Jan Vikas Kendra recorded each as missing (KKJ/2023/0001, "
        "KKJ/2023/0002). Yamuna Paar Bachpan Raksha Samiti rescued both from a placement agency "
        "in one case (YBRS/2024/0001) as 'Sunita Oraon' and 'Anita Oraon'. A matcher must link "
        "each sister to her own missing report, never the two sisters to each other. Their "
        "consent covers matching only, so nothing is shared yet.",
        ("KKJ/2023/0001", "KKJ/2023/0002", "YBRS/2024/0001"),
        sees=(
            ("gumla-ngo.caseworker", "KKJ/2023/0001", True),
            ("gumla-ngo.caseworker", "YBRS/2024/0001", False),
            ("delhi-ngo.caseworker", "YBRS/2024/0001", True),
        ),
        same_person=(("KKJ/2023/0001", "YBRS/2024/0001"), ("KKJ/2023/0002", "YBRS/2024/0001")),
    ),
    Scenario(
        "consent-withdrawn",
        "Consent withdrawn: the share stops",
        "Mousumi Mondal (24), rescued in Pune, agreed to Sahyadri Swadhar Sanstha sharing her "
        "case (SSS/2023/0001) with Notun Bhor Survivors' Collective near her home. In February "
        "2025 she withdrew that consent; the share was revoked the same day and the collective "
        "no longer sees the case.",
        ("SSS/2023/0001",),
        sees=(
            ("pune-ngo.caseworker", "SSS/2023/0001", True),
            ("survivor-collective.caseworker", "SSS/2023/0001", False),
        ),
    ),
    Scenario(
        "restricted",
        "A restricted case: only the case team and the organisation admin",
        "Salma Khatun (19) is a prosecution witness against a trafficking ring. Saagar Sakhi "
        "Trust restricted her case (SST/2025/0001) to its owner, the caseworker, and the legal "
        "officer on the team. Other staff of the same organisation do not see it.",
        ("SST/2025/0001",),
        sees=(
            ("mumbai-ngo.caseworker", "SST/2025/0001", True),
            ("mumbai-ngo.legal_officer", "SST/2025/0001", True),
            ("mumbai-ngo.org_admin", "SST/2025/0001", True),
            ("mumbai-ngo.counsellor", "SST/2025/0001", False),
            ("mumbai-ngo.field_officer", "SST/2025/0001", False),
        ),
    ),
    Scenario(
        "police-to-shelter",
        "Police rescue of three boys, placed in a shelter",
        "The Mumbai AHTU raided power looms in Bhiwandi and rescued three boys from Araria, "
        "Bihar (MAHTU/2025/0001, FIR under BNS 143 and the JJ Act). On the CWC's order they "
        "were placed in Suraksha Kutir Shelter Home, which sees the case through a consented "
        "share. The boys' home organisation in Bihar has not been given access yet.",
        ("MAHTU/2025/0001",),
        sees=(
            ("mumbai-ahtu.police_liaison", "MAHTU/2025/0001", True),
            ("mumbai-shelter.shelter_manager", "MAHTU/2025/0001", True),
            ("bihar-ngo.caseworker", "MAHTU/2025/0001", False),
        ),
    ),
    Scenario(
        "bonded-labour",
        "Bonded labour: missing in Ganjam, found at a brick kiln near Hyderabad",
        "Bikash Nayak (22) took an advance from a labour contractor and left Ganjam. "
        "Rushikulya Shramik Sahayata Samiti recorded him as missing (RSSS/2024/0001). Deccan "
        "Vimukti Forum found 'Vikash Naik' at a brick kiln in Medchal Malkajgiri (DVF/2024/0001). "
        "Both organisations hold matching consent only: the network can tell them that a "
        "likely match exists, but neither can open the other's case. Vikash agreed to be "
        "looked for only by the organisation of his home district, so no other organisation "
        "is ever told about his record.",
        ("RSSS/2024/0001", "DVF/2024/0001"),
        sees=(
            ("ganjam-ngo.caseworker", "RSSS/2024/0001", True),
            ("ganjam-ngo.caseworker", "DVF/2024/0001", False),
            ("hyderabad-ngo.caseworker", "DVF/2024/0001", True),
            ("network.network_coordinator", "DVF/2024/0001", False),
            ("platform-admin", "DVF/2024/0001", False),
        ),
        same_person=(("RSSS/2024/0001", "DVF/2024/0001"),),
    ),
    Scenario(
        "re-trafficked",
        "Rescued in Delhi, returned home, intercepted again at Howrah station",
        "Shefali Sardar (17) was rescued from a brothel on G.B. Road by Yamuna Paar Bachpan "
        "Raksha Samiti (YBRS/2022/0001) and restored to her family in Gosaba, South 24 "
        "Parganas. Three years later the West Bengal AHTU intercepted a young woman recorded "
        "as 'Sefali Sardar', 20, with a man who had bought her a ticket to Pune "
        "(WBAHTU/2025/0001). The network raises a re-trafficking alert to the Delhi "
        "organisation that rescued her before, naming the new event's place and date; neither "
        "organisation can open the other's case.",
        ("YBRS/2022/0001", "WBAHTU/2025/0001"),
        sees=(
            ("delhi-ngo.caseworker", "YBRS/2022/0001", True),
            ("delhi-ngo.caseworker", "WBAHTU/2025/0001", False),
            ("wb-ahtu.police_liaison", "WBAHTU/2025/0001", True),
            ("wb-ahtu.police_liaison", "YBRS/2022/0001", False),
        ),
        same_person=(("YBRS/2022/0001", "WBAHTU/2025/0001"),),
    ),
)


def _person(
    b: Builder,
    slug: str,
    given: str,
    family: str,
    *,
    gender: str = Gender.FEMININE,
    age: int | None = None,
    on: date | None = None,
    birth: date | None = None,
    father: str = "",
    mother: str = "",
    village: str = "",
    line: str = "",
    district: int | None = None,
    phone: str = "",
    alias: str = "",
    languages: tuple[str, ...] = ("bn",),
    truth: str = "",
) -> Person:
    from setu.synth.geo import load_geography

    person = b.person(
        slug,
        given_name=given,
        family_name=family,
        gender=gender,
        birth_date=birth,
        birth_date_precision=DatePrecision.DAY if birth else "",
        estimated_age=age,
        age_estimated_on=on if age is not None else None,
        father_name=father,
        mother_name=mother,
        languages=list(languages),
    )
    state = load_geography().districts[district].state_code if district else None
    b.new(
        Address,
        person_id=person.id,
        kind=AddressKind.HOME,
        village=village,
        line=line,
        district_id=district,
        state_id=state,
    )
    if phone:
        b.new(Phone, person_id=person.id, number=phone, kind=PhoneKind.FAMILY)
    if alias:
        b.new(PersonAlias, person_id=person.id, name=alias, kind=AliasKind.NICKNAME)
    if truth:
        b.plan.truth.append((str(person.id), f"scenario:{truth}:{slug}", f"S-{truth}", slug))
    return person


def _exploited(b: Builder, case: Case, form: str, details: str, *means: str) -> None:
    b.new(CaseExploitation, case_id=case.id, form=form, details=details)
    for m in means:
        b.new(CaseControlMeans, case_id=case.id, means=m)


def build_scenarios(b: Builder) -> None:
    """Add the fixed story-line cases; called before the synthetic data so references are stable."""
    _missing_then_rescued(b)
    _sisters(b)
    _consent_withdrawn(b)
    _restricted(b)
    _police_to_shelter(b)
    _bonded_labour(b)
    _re_trafficked(b)


def _missing_then_rescued(b: Builder) -> None:
    phone = "+917001234567"
    reported = date(2024, 3, 12)
    home = b.case(
        "murshidabad-ngo",
        reported,
        "PCMS/2024/0001",
        summary="Reported missing by her mother; left with a woman from the next village.",
        fir_number="88/2024",
        police_station="Jalangi Police Station",
    )
    rupa = _person(b, "murshidabad-ngo", "Rupa", "Khatun", age=16, on=reported,
                   father="Abdul Sk", mother="Jahanara Bibi", village="Kalikapur Char",
                   line="Kalikapur Char, Jalangi block, Murshidabad, West Bengal",
                   district=319, phone=phone, truth="rupa")  # fmt: skip
    mother = _person(b, "murshidabad-ngo", "Jahanara", "Bibi", age=41, on=reported,
                     village="Kalikapur Char", district=319, phone=phone)  # fmt: skip
    b.link(home, rupa, CaseRole.MISSING, age_when_trafficked=16)
    b.link(home, mother, CaseRole.FAMILY)
    b.event(home, rupa, EventKind.RECRUITMENT, date(2024, 3, 2), 319, "Kalikapur Char",
            description="Left with a woman from the next village who promised a beauty-parlour job in Kolkata.")  # fmt: skip
    b.event(home, rupa, EventKind.MISSING_REPORTED, reported, 319, "Jalangi police station")
    b.consent(rupa, MATCHING, reported, purpose="Finding her in other organisations' records",
              given_by=ConsentGiver.PARENT_GUARDIAN, given_by_name="Jahanara Bibi")  # fmt: skip
    b.service(home, rupa, ServiceType.FAMILY_TRACING, reported)
    b.note(home, b.staff("murshidabad-ngo"), "Photograph shared with the partner network.")

    rescued = date(2024, 8, 20)
    slug = "mumbai-ngo"
    away = b.case(
        slug,
        rescued,
        "SST/2024/0001",
        trafficking_status=TraffickingStatus.ACTUAL,
        identified_by="CWC Mumbai City order",
        summary="Rescued in Kamathipura with the AHTU; says she is from Murshidabad.",
        fir_number="311/2024",
        police_station="Nagpada Police Station",
        sections_charged="BNS 143, 144; ITPA 3, 4, 5; POCSO 4, 6",
    )
    roopa = _person(b, slug, "Roopa", "Khatoon", age=17, on=rescued, father="Abdul Shaikh",
                    village="Kalikapur", line="Kalikapur, Murshidabad Dist., W.B.",
                    district=319, phone=phone, alias="Rupi", truth="rupa")  # fmt: skip
    b.link(away, roopa, CaseRole.VICTIM, age_when_trafficked=16,
           relationship_to_trafficker=RelationshipToTrafficker.ACQUAINTED)  # fmt: skip
    for kind, on, district, place in (
        (EventKind.RECRUITMENT, date(2024, 3, 1), 319, "Kalikapur"),
        (EventKind.TRANSIT, date(2024, 3, 3), 313, "Howrah Junction"),
        (EventKind.EXPLOITATION, date(2024, 3, 6), 482, "Kamathipura"),
    ):
        b.event(away, roopa, kind, on, district, place, DatePrecision.MONTH)
    b.event(away, roopa, EventKind.RESCUE, rescued, 482, "Kamathipura",
            description="Rescue operation by the Mumbai AHTU with Saagar Sakhi Trust.")  # fmt: skip
    b.event(away, roopa, EventKind.SHELTER_ADMISSION, rescued + timedelta(days=1), 497,
            "Shelter home (location confidential)")  # fmt: skip
    _exploited(b, away, ExploitationForm.SEXUAL_EXPLOITATION, "Kamathipura",
               MeansOfControl.FALSE_PROMISES, MeansOfControl.DEBT_BONDAGE,
               MeansOfControl.RESTRICTS_MOVEMENT)  # fmt: skip
    b.service(away, roopa, ServiceType.SHELTER, rescued, provider="mumbai-shelter")
    b.service(away, roopa, ServiceType.COUNSELLING, rescued + timedelta(days=3))
    b.service(away, roopa, ServiceType.LEGAL, rescued + timedelta(days=10), provider="mumbai-legal")
    b.note(away, b.staff(slug), "Says her name is Roopa, from Murshidabad 'near the river'; "
           "mother's name Jahanara.")  # fmt: skip
    b.consent(roopa, MATCHING, rescued, given_by=ConsentGiver.CWC)
    consent = b.consent(roopa, REFERRAL, rescued + timedelta(days=8), recipient="murshidabad-ngo",
                        purpose="Home investigation and return to her family",
                        given_by=ConsentGiver.CWC)  # fmt: skip
    b.share(away, "murshidabad-ngo", consent, REFERRAL,
            "Home investigation report and restoration to family in Murshidabad")  # fmt: skip


def _sisters(b: Builder) -> None:
    phone = "+919431000217"
    reported = date(2023, 11, 6)
    father, mother = "Budhwa Oraon", "Sukhmaniya Devi"
    rescued = date(2024, 1, 15)
    away = b.case(
        "delhi-ngo",
        rescued,
        "YBRS/2024/0001",
        trafficking_status=TraffickingStatus.ACTUAL,
        identified_by="CWC order",
        summary="Two sisters rescued from a placement agency; working as live-in domestic help.",
        fir_number="27/2024",
        police_station="Shakarpur Police Station",
        sections_charged="IPC 370, 370A; JJ Act 79",
    )
    _exploited(b, away, ExploitationForm.DOMESTIC_SERVITUDE, "Shakurpur (placement agency)",
               MeansOfControl.WITHHOLDS_DOCUMENTS, MeansOfControl.EXCESSIVE_HOURS,
               MeansOfControl.TAKES_EARNINGS)  # fmt: skip
    for n, (given, born) in enumerate(
        (("Sunita", date(2007, 6, 10)), ("Anita", date(2008, 9, 1))), 1
    ):
        age = 16 if n == 1 else 15
        home = b.case("gumla-ngo", reported, f"KKJ/2023/000{n}",
                      summary="Left with her sister for housework in Delhi; no contact since.")  # fmt: skip
        missing = _person(b, "gumla-ngo", given, "Kumari", birth=born, father=father,
                          mother=mother, village="Karamtoli", district=331, phone=phone,
                          languages=("hi", "kru"), truth=given.lower())  # fmt: skip
        b.link(home, missing, CaseRole.MISSING, age_when_trafficked=age)
        b.event(home, missing, EventKind.RECRUITMENT, date(2023, 10, 28), 331, "Karamtoli",
                description="Placement agent from Ranchi promised Rs 6,000 a month.")  # fmt: skip
        b.event(home, missing, EventKind.MISSING_REPORTED, reported, 331, "Gumla police station")
        b.consent(missing, MATCHING, reported, given_by=ConsentGiver.PARENT_GUARDIAN,
                  given_by_name=father)  # fmt: skip
        found = _person(b, "delhi-ngo", given, "Oraon", age=age, on=rescued,
                        father="Budhwa", village="Karamtoli", line="Karamtoli, Gumla, Jharkhand",
                        district=331, languages=("hi", "kru"), truth=given.lower())  # fmt: skip
        b.link(away, found, CaseRole.VICTIM, age_when_trafficked=age,
               relationship_to_trafficker=RelationshipToTrafficker.UNACQUAINTED)  # fmt: skip
        b.event(away, found, EventKind.RESCUE, rescued, 80, "Shakurpur (placement agency)")
        b.consent(found, MATCHING, rescued, given_by=ConsentGiver.CWC)
        b.service(away, found, ServiceType.SHELTER, rescued, days=90)


def _consent_withdrawn(b: Builder) -> None:
    rescued = date(2023, 5, 9)
    case = b.case(
        "pune-ngo",
        rescued,
        "SSS/2023/0001",
        status=CaseStatus.FOLLOW_UP,
        trafficking_status=TraffickingStatus.ACTUAL,
        identified_by="Police (FIR registered)",
        summary="Rescued in Budhwar Peth; returned home to South 24 Parganas.",
    )
    mousumi = _person(b, "pune-ngo", "Mousumi", "Mondal", age=24, on=rescued,
                      village="Basanti", district=304, truth="mousumi")  # fmt: skip
    b.link(case, mousumi, CaseRole.VICTIM, age_when_trafficked=22)
    b.event(case, mousumi, EventKind.RESCUE, rescued, 490, "Budhwar Peth")
    b.event(case, mousumi, EventKind.REPATRIATION, date(2023, 7, 2), 304, "Basanti")
    _exploited(b, case, ExploitationForm.SEXUAL_EXPLOITATION, "Budhwar Peth",
               MeansOfControl.DEBT_BONDAGE)  # fmt: skip
    consent = b.consent(mousumi, REFERRAL, date(2023, 6, 1), recipient="survivor-collective",
                        purpose="Peer support after returning home",
                        withdrawn_on=date(2025, 2, 10))  # fmt: skip
    b.share(case, "survivor-collective", consent, REFERRAL, "Peer support near her home",
            revoked_on=date(2025, 2, 10))  # fmt: skip
    b.note(case, b.staff("pune-ngo"), "She asked us to stop sharing her case; share revoked.")


def _restricted(b: Builder) -> None:
    slug = "mumbai-ngo"
    opened = date(2025, 1, 20)
    team = [b.staff(slug, Role.CASEWORKER), b.staff(slug, Role.LEGAL_OFFICER)]
    case = b.case(
        slug,
        opened,
        "SST/2025/0001",
        trafficking_status=TraffickingStatus.ACTUAL,
        identified_by="Police (FIR registered)",
        summary="Prosecution witness; identity known only to the case team.",
        is_restricted=True,
        team=team,
        fir_number="54/2025",
        police_station="DB Marg Police Station",
        sections_charged="BNS 143, 144; ITPA 3, 4, 5",
    )
    salma = _person(b, slug, "Salma", "Khatun", age=19, on=opened, village="Karimpur",
                    district=320, truth="salma")  # fmt: skip
    b.link(case, salma, CaseRole.VICTIM, age_when_trafficked=17)
    b.event(case, salma, EventKind.RESCUE, opened, 482, "Grant Road")
    _exploited(b, case, ExploitationForm.SEXUAL_EXPLOITATION, "Grant Road",
               MeansOfControl.THREATENS_FAMILY, MeansOfControl.PHYSICAL_THREATS)  # fmt: skip
    b.service(case, salma, ServiceType.LEGAL, opened, provider="mumbai-legal")
    b.consent(salma, MATCHING, opened)


def _police_to_shelter(b: Builder) -> None:
    slug = "mumbai-ahtu"
    raided = date(2025, 6, 3)
    case = b.case(
        slug,
        raided,
        "MAHTU/2025/0001",
        case_owner=b.staff(slug, Role.POLICE_LIAISON),
        trafficking_status=TraffickingStatus.ACTUAL,
        identified_by="CWC Thane order",
        summary="Three boys rescued from power looms in Bhiwandi.",
        fir_number="402/2025",
        police_station="Bhiwandi Town Police Station",
        sections_charged="BNS 143, 146; JJ Act 79; Child and Adolescent Labour Act 14",
    )
    _exploited(b, case, ExploitationForm.CHILD_LABOUR, "Bhiwandi (power looms)",
               MeansOfControl.EXCESSIVE_HOURS, MeansOfControl.WITHHOLDS_NECESSITIES)  # fmt: skip
    agent = b.person(slug, given_name="Nasir", family_name="Ansari", gender=Gender.MASCULINE,
                     estimated_age=45, age_estimated_on=raided)  # fmt: skip
    b.link(case, agent, CaseRole.PERPETRATOR,
           perpetrator_roles=[PerpetratorRole.RECRUITER, PerpetratorRole.EXPLOITER])  # fmt: skip
    for given, family, father, age in (
        ("Mohammad", "Arif", "Nasim Alam", 13),
        ("Rahul", "Kumar", "Ramesh Mandal", 14),
        ("Sonu", "Kumar", "Bhola Paswan", 12),
    ):
        boy = _person(b, slug, given, family, gender=Gender.MASCULINE, age=age, on=raided,
                      father=father, district=188, languages=("hi",),
                      truth=f"{given.lower()}-{family.lower()}")  # fmt: skip
        b.link(case, boy, CaseRole.VICTIM, age_when_trafficked=age,
               relationship_to_trafficker=RelationshipToTrafficker.ACQUAINTED)  # fmt: skip
        b.event(case, boy, EventKind.RESCUE, raided, 497, "Bhiwandi (power looms)")
        scopes = [ConsentScope.IDENTITY, ConsentScope.CASE_HISTORY, ConsentScope.HEALTH]
        consent = b.consent(boy, scopes, raided, recipient="mumbai-shelter",
                            purpose="Shelter placement and care", given_by=ConsentGiver.CWC)  # fmt: skip
        if given == "Mohammad":
            b.share(case, "mumbai-shelter", consent, scopes, "Shelter placement on the CWC's order")
        b.service(case, boy, ServiceType.SHELTER, raided, provider="mumbai-shelter")


def _bonded_labour(b: Builder) -> None:
    reported = date(2024, 2, 19)
    home = b.case("ganjam-ngo", reported, "RSSS/2024/0001",
                  summary="Took an advance from a contractor; family has had no news.")  # fmt: skip
    bikash = _person(b, "ganjam-ngo", "Bikash", "Nayak", gender=Gender.MASCULINE, age=22,
                     on=reported, father="Trinath Nayak", village="Tentulipada", district=354,
                     phone="+918895000311", languages=("or",), truth="bikash")  # fmt: skip
    b.link(home, bikash, CaseRole.MISSING, age_when_trafficked=22)
    b.event(home, bikash, EventKind.RECRUITMENT, date(2024, 1, 5), 354, "Tentulipada")
    b.event(home, bikash, EventKind.MISSING_REPORTED, reported, 354, "Ganjam police station")
    b.consent(bikash, MATCHING, reported, given_by=ConsentGiver.PARENT_GUARDIAN,
              given_by_name="Trinath Nayak")  # fmt: skip
    found_on = date(2024, 10, 8)
    away = b.case(
        "hyderabad-ngo",
        found_on,
        "DVF/2024/0001",
        trafficking_status=TraffickingStatus.ACTUAL,
        identified_by="Release certificate from the Sub-Divisional Magistrate",
        summary="Released from a brick kiln with 14 other workers; release certificate issued.",
        sections_charged="Bonded Labour System (Abolition) Act 16, 17",
    )
    vikash = _person(b, "hyderabad-ngo", "Vikash", "Naik", gender=Gender.MASCULINE, age=23,
                     on=found_on, father="Trinath", village="Tentuli Pada",
                     line="Tentuli Pada, Ganjam, Orissa", district=354,
                     phone="+918895000311", languages=("or", "te"), truth="bikash")  # fmt: skip
    b.link(away, vikash, CaseRole.VICTIM, age_when_trafficked=22)
    b.event(away, vikash, EventKind.EXPLOITATION, date(2024, 1, 12), 700, "Brick kiln",
            DatePrecision.MONTH)  # fmt: skip
    b.event(away, vikash, EventKind.RESCUE, found_on, 700, "Brick kiln")
    _exploited(b, away, ExploitationForm.BONDED_LABOUR, "Brick kiln",
               MeansOfControl.DEBT_BONDAGE, MeansOfControl.WITHHOLDS_DOCUMENTS)  # fmt: skip
    b.consent(vikash, MATCHING, found_on, recipient="ganjam-ngo",
              purpose="Only the organisation of his home district may look for him")  # fmt: skip
    b.service(away, vikash, ServiceType.COMPENSATION, found_on + timedelta(days=5),
              provider_name="District Legal Services Authority")  # fmt: skip


def _re_trafficked(b: Builder) -> None:
    rescued = date(2022, 4, 11)
    first = b.case(
        "delhi-ngo",
        rescued,
        "YBRS/2022/0001",
        status=CaseStatus.FOLLOW_UP,
        trafficking_status=TraffickingStatus.ACTUAL,
        identified_by="CWC order",
        summary="Rescued from a brothel on G.B. Road; restored to her family in Gosaba.",
        fir_number="112/2022",
        police_station="Kamla Market Police Station",
        sections_charged="IPC 370, 372; ITPA 3, 4, 5; POCSO 4",
    )
    shefali = _person(b, "delhi-ngo", "Shefali", "Sardar", age=17, on=rescued,
                      father="Haripada Sardar", mother="Kalpana Sardar", village="Gosaba",
                      line="Gosaba, South 24 Parganas, West Bengal", district=304,
                      phone="+919734000542", truth="shefali")  # fmt: skip
    b.link(first, shefali, CaseRole.VICTIM, age_when_trafficked=16,
           relationship_to_trafficker=RelationshipToTrafficker.ACQUAINTED)  # fmt: skip
    b.event(first, shefali, EventKind.RESCUE, rescued, 77, "G.B. Road")
    b.event(first, shefali, EventKind.SHELTER_ADMISSION, rescued, 78,
            "Shelter home (location confidential)")  # fmt: skip
    b.event(first, shefali, EventKind.REPATRIATION, date(2022, 6, 20), 304, "Gosaba")
    _exploited(b, first, ExploitationForm.SEXUAL_EXPLOITATION, "G.B. Road",
               MeansOfControl.FALSE_PROMISES, MeansOfControl.RESTRICTS_MOVEMENT)  # fmt: skip
    b.consent(shefali, MATCHING, rescued, given_by=ConsentGiver.CWC)
    b.service(first, shefali, ServiceType.SHELTER, rescued, days=70)

    intercepted = date(2025, 9, 14)
    slug = "wb-ahtu"
    again = b.case(
        slug,
        intercepted,
        "WBAHTU/2025/0001",
        case_owner=b.staff(slug, Role.POLICE_LIAISON),
        trafficking_status=TraffickingStatus.POSSIBLE,
        identified_by="Interception by the AHTU at Howrah station",
        summary="Intercepted at Howrah station travelling to Pune with a man who paid her fare.",
    )
    sefali = _person(b, slug, "Sefali", "Sardar", age=20, on=intercepted, father="Haripada",
                     village="Gosaba", district=304, phone="+919734000542",
                     truth="shefali")  # fmt: skip
    b.link(again, sefali, CaseRole.VICTIM, age_when_trafficked=20)
    b.event(again, sefali, EventKind.INTERCEPTION, intercepted, 313, "Howrah Junction")
    b.consent(sefali, MATCHING, intercepted)


def scenarios_markdown() -> str:
    """The story-lines section of docs/demo.md, generated so it cannot drift from the data."""
    parts = []
    for n, s in enumerate(SCENARIOS, 1):
        lines = [f"### {n}. {s.title}", "", s.story, "", "| Log in as | Case | Sees it? |"]
        lines.append("|---|---|---|")
        for username, reference, visible in s.sees:
            lines.append(f"| `{username}` | {reference} | {'yes' if visible else 'no'} |")
        if s.same_person:
            pairs = "; ".join(f"{a} ↔ {b}" for a, b in s.same_person)
            lines += ["", f"Same human being (ground truth, not in the database): {pairs}."]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"
