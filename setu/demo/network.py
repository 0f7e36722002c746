"""The demo network's organisations and accounts: invented names, real LGD places.

Every organisation and person here is fictional. Government bodies (police units, CWCs,
departments) carry "(demo)" in their name because their generic names are real institutions.
Usernames follow ``<organisation slug>.<role>``; every demo account shares ``DEMO_PASSWORD``,
which is published in the README, so the loader refuses to run unless ``SETU_DEMO_MODE`` is on.
"""

from __future__ import annotations

from dataclasses import dataclass

from setu.orgs.models import OrganisationType as T
from setu.orgs.models import Role

DEMO_PASSWORD = "setu-demo-2026"  # noqa: S105 - published on purpose; demo mode only
PLATFORM_ADMIN_USERNAME = "platform-admin"

# The roles each kind of organisation really has; every organisation has an admin and a caseworker.
TYPE_ROLES: dict[str, tuple[str, ...]] = {
    T.SOURCE_NGO: (Role.ORG_ADMIN, Role.CASEWORKER, Role.COUNSELLOR, Role.FIELD_OFFICER),
    T.DESTINATION_NGO: (Role.ORG_ADMIN, Role.CASEWORKER, Role.COUNSELLOR, Role.FIELD_OFFICER),
    T.POLICE_AHTU: (Role.ORG_ADMIN, Role.CASEWORKER, Role.POLICE_LIAISON, Role.FIELD_OFFICER),
    T.SHELTER_HOME: (Role.ORG_ADMIN, Role.CASEWORKER, Role.SHELTER_MANAGER, Role.COUNSELLOR),
    T.LEGAL_AID: (Role.ORG_ADMIN, Role.CASEWORKER, Role.LEGAL_OFFICER),
    T.CHILD_WELFARE_COMMITTEE: (Role.ORG_ADMIN, Role.CASEWORKER),
    T.GOVERNMENT_DEPARTMENT: (Role.ORG_ADMIN, Role.CASEWORKER, Role.ANALYST),
    T.SURVIVOR_COLLECTIVE: (
        Role.ORG_ADMIN,
        Role.CASEWORKER,
        Role.COUNSELLOR,
        Role.COLLECTIVE_LEADER,
        Role.PEER_SUPPORTER,
    ),
    T.NETWORK_BODY: (
        Role.ORG_ADMIN,
        Role.CASEWORKER,
        Role.NETWORK_COORDINATOR,
        Role.ANALYST,
    ),
}
# Every NGO role; a collective's own roles belong to collectives.
ALL_ROLES: tuple[str, ...] = tuple(
    r for r in Role.values if r not in (Role.COLLECTIVE_LEADER, Role.PEER_SUPPORTER)
)


@dataclass(frozen=True)
class OrgSpec:
    """One demo organisation: where it sits, what it serves and which accounts it has."""

    slug: str
    code: str  # prefix of its case references
    name: str
    org_type: str
    base_district: int  # LGD district code
    states: tuple[int, ...]  # LGD state codes served
    districts: tuple[int, ...]  # LGD district codes of its focus area
    address: str
    roles: tuple[str, ...] = ()
    address_is_confidential: bool = False

    @property
    def account_roles(self) -> tuple[str, ...]:
        return self.roles or TYPE_ROLES[self.org_type]

    def username(self, role: str) -> str:
        return f"{self.slug}.{role}"


_DELHI = (77, 78, 79, 80, 81, 82, 83, 84, 85)

ORGANISATIONS: tuple[OrgSpec, ...] = (
    # --- Source areas: where people are recruited and reported missing ---------------------
    OrgSpec(
        "murshidabad-ngo",
        "PCMS",
        "Padma Char Mahila Samiti",
        T.SOURCE_NGO,
        319,
        (19,),
        (319, 320, 316),
        "Ward 7, Lalbagh Road, Berhampore, Murshidabad 742101",
        roles=ALL_ROLES,
    ),
    OrgSpec(
        "sundarban-ngo",
        "SKSM",
        "Sundarban Kishori Suraksha Mancha",
        T.SOURCE_NGO,
        304,
        (19,),
        (304, 303),
        "Near Block Office, Canning, South 24 Parganas 743329",
    ),
    OrgSpec(
        "gumla-ngo",
        "KKJ",
        "Koel-Karo Adivasi Jan Vikas Kendra",
        T.SOURCE_NGO,
        331,
        (20, 22),
        (331, 342, 606, 339, 380),
        "Palkot Road, Gumla 835207",
    ),
    OrgSpec(
        "ganjam-ngo",
        "RSSS",
        "Rushikulya Shramik Sahayata Samiti",
        T.SOURCE_NGO,
        354,
        (21,),
        (354, 363, 370),
        "Gandhi Nagar 3rd Lane, Berhampur, Ganjam 760001",
    ),
    OrgSpec(
        "assam-ngo",
        "BNRS",
        "Brahmaputra Nari Raksha Samaj",
        T.SOURCE_NGO,
        301,
        (18,),
        (301, 617, 295, 294, 285),
        "Mission Chariali, Tezpur, Sonitpur 784001",
    ),
    OrgSpec(
        "bihar-ngo",
        "SBAM",
        "Seemanchal Bal Adhikar Manch",
        T.SOURCE_NGO,
        188,
        (10,),
        (188, 203, 214, 201),
        "Hospital Road, Forbesganj, Araria 854318",
    ),
    OrgSpec(
        "up-ngo",
        "STJS",
        "Saryu Terai Jan Seva Samiti",
        T.SOURCE_NGO,
        125,
        (9,),
        (125, 181, 164),
        "Nanpara Road, Bahraich 271801",
    ),
    # --- Destination cities: where people are exploited and rescued -------------------------
    OrgSpec(
        "mumbai-ngo",
        "SST",
        "Saagar Sakhi Trust",
        T.DESTINATION_NGO,
        482,
        (27, 24),
        (482, 483, 497, 459),
        "2nd floor, Bapty Road, Grant Road (East), Mumbai 400008",
        roles=ALL_ROLES,
    ),
    OrgSpec(
        "pune-ngo",
        "SSS",
        "Sahyadri Swadhar Sanstha",
        T.DESTINATION_NGO,
        490,
        (27,),
        (490,),
        "Near Shaniwar Wada, Budhwar Peth, Pune 411002",
    ),
    OrgSpec(
        "delhi-ngo",
        "YBRS",
        "Yamuna Paar Bachpan Raksha Samiti",
        T.DESTINATION_NGO,
        78,
        (7, 6),
        (*_DELHI, 62),
        "B-14, Laxmi Nagar, East Delhi 110092",
    ),
    OrgSpec(
        "hyderabad-ngo",
        "DVF",
        "Deccan Vimukti Forum",
        T.DESTINATION_NGO,
        507,
        (36, 28),
        (507, 518, 700),
        "Plot 22, Mehdipatnam, Hyderabad 500028",
    ),
    OrgSpec(
        "bengaluru-ngo",
        "KKT",
        "Kaveri Kaavalu Trust",
        T.DESTINATION_NGO,
        525,
        (29, 33),
        (525, 526, 568),
        "4th Cross, Peenya 2nd Stage, Bengaluru 560058",
    ),
    # --- Police, shelters, legal aid, child protection, government ---------------------------
    OrgSpec(
        "wb-ahtu",
        "WBAHTU",
        "Anti-Human Trafficking Unit, West Bengal CID (demo)",
        T.POLICE_AHTU,
        315,
        (19,),
        (315, 313, 319, 304, 303),
        "Bhabani Bhawan (demo address), Alipore, Kolkata 700027",
    ),
    OrgSpec(
        "mumbai-ahtu",
        "MAHTU",
        "Anti-Human Trafficking Unit, Mumbai Police (demo)",
        T.POLICE_AHTU,
        482,
        (27,),
        (482, 483, 497),
        "Crime Branch (demo address), Crawford Market, Mumbai 400001",
    ),
    OrgSpec(
        "kolkata-shelter",
        "NSH",
        "Nabadiganta Shelter Home",
        T.SHELTER_HOME,
        303,
        (19,),
        (315, 303, 313),
        "Address withheld (shelter location is confidential)",
        address_is_confidential=True,
    ),
    OrgSpec(
        "mumbai-shelter",
        "SKSH",
        "Suraksha Kutir Shelter Home",
        T.SHELTER_HOME,
        497,
        (27,),
        (482, 483, 497, 490),
        "Address withheld (shelter location is confidential)",
        address_is_confidential=True,
    ),
    OrgSpec(
        "mumbai-legal",
        "SLAC",
        "Samvidhan Legal Aid Collective",
        T.LEGAL_AID,
        482,
        (27, 19),
        (482, 483, 490, 497),
        "Chamber 11, Fort Chambers, Fort, Mumbai 400001",
    ),
    OrgSpec(
        "murshidabad-cwc",
        "CWCM",
        "Child Welfare Committee, Murshidabad (demo)",
        T.CHILD_WELFARE_COMMITTEE,
        319,
        (19,),
        (319,),
        "District Child Protection Unit (demo address), Berhampore 742101",
    ),
    OrgSpec(
        "wb-wcd",
        "WBWCD",
        "Women and Child Development Department, West Bengal (demo)",
        T.GOVERNMENT_DEPARTMENT,
        315,
        (19,),
        (319, 320, 304, 303),
        "Salt Lake (demo address), Kolkata 700091",
    ),
    OrgSpec(
        "survivor-collective",
        "NBSC",
        "Notun Bhor Survivors' Collective",
        T.SURVIVOR_COLLECTIVE,
        304,
        (19,),
        (304, 303, 319),
        "Baruipur Station Road, South 24 Parganas 743610",
    ),
    OrgSpec(
        "network",
        "PPATN",
        "Purab-Paschim Anti-Trafficking Network",
        T.NETWORK_BODY,
        79,
        (19, 20, 21, 18, 10, 9, 27, 7, 36, 29),
        (),
        "Lodhi Estate (demo address), New Delhi 110003",
    ),
)

ORGS_BY_SLUG: dict[str, OrgSpec] = {o.slug: o for o in ORGANISATIONS}


def org_phone(index: int) -> str:
    """An office number in a range no Indian mobile or landline uses (numbers start with 5)."""
    return f"+9155500{index:05d}"


def org_email(spec: OrgSpec) -> str:
    return f"office@{spec.slug}.example.org"


@dataclass(frozen=True)
class DemoAccount:
    """One demo login: username, organisation (None for the platform admin) and role."""

    username: str
    org: OrgSpec | None
    role: str


def demo_accounts() -> list[DemoAccount]:
    """Every demo account, platform admin first, in a stable order."""
    accounts = [DemoAccount(PLATFORM_ADMIN_USERNAME, None, "")]
    for spec in ORGANISATIONS:
        accounts.extend(DemoAccount(spec.username(r), spec, r) for r in spec.account_roles)
    return accounts


def accounts_markdown() -> str:
    """The README's table of demo accounts, generated so it cannot drift from the loader."""
    type_labels = dict(T.choices)
    lines = [
        "| Organisation (invented) | Type | Based in | Usernames |",
        "|---|---|---|---|",
        f"| — (runs the network, sees no case data) | Platform admin | — | `{PLATFORM_ADMIN_USERNAME}` |",
    ]
    from setu.synth.geo import load_geography

    geo = load_geography()
    for spec in ORGANISATIONS:
        district = geo.districts[spec.base_district]
        place = f"{district.name}, {geo.states[district.state_code].name}"
        names = ", ".join(f"`{spec.username(r)}`" for r in spec.account_roles)
        lines.append(f"| {spec.name} | {type_labels[spec.org_type]} | {place} | {names} |")
    return "\n".join(lines) + "\n"
