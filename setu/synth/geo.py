"""Geography for synthetic records: LGD states and districts, source weights,
destination cities, synthesised villages and fictional organisations.

Reads only the CSVs in ``setu/data/india``; no Django, no other setu modules.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "india"


def _cells(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


@dataclass(frozen=True, slots=True)
class State:
    code: int
    name: str
    abbreviations: tuple[str, ...]
    variants: tuple[str, ...]
    former_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class District:
    code: int
    name: str
    state_code: int
    # Spellings seen in the wild (csv variants, rule-made variants, former names).
    variants: tuple[str, ...]
    former_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Geography:
    states: dict[int, State]
    districts: dict[int, District]
    districts_by_state: dict[int, tuple[District, ...]] = field(repr=False)


@cache
def load_geography(data_dir: Path = DATA_DIR) -> Geography:
    """Load LGD states and districts (cached; the files never change at run time)."""
    states: dict[int, State] = {}
    with (data_dir / "states.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            states[int(row["code"])] = State(
                code=int(row["code"]),
                name=row["name"],
                abbreviations=_cells(row["abbreviations"]),
                variants=_cells(row["variants"]),
                former_names=_cells(row["former_names"]),
            )
    districts: dict[int, District] = {}
    by_state: dict[int, list[District]] = {}
    with (data_dir / "districts.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            d = District(
                code=int(row["district_code"]),
                name=row["name"],
                state_code=int(row["state_code"]),
                variants=_cells(row["variants"]) + _cells(row["generated_variants"]),
                former_names=_cells(row["former_names"]),
            )
            districts[d.code] = d
            by_state.setdefault(d.state_code, []).append(d)
    return Geography(
        states=states,
        districts=districts,
        districts_by_state={k: tuple(v) for k, v in by_state.items()},
    )


# Where trafficked people come from, roughly following NCRB/anti-trafficking
# NGO reporting: the eastern states dominate, with smaller southern/western
# pockets. Weights are relative.
SOURCE_STATE_WEIGHTS: dict[int, float] = {
    19: 24,  # West Bengal
    20: 14,  # Jharkhand
    18: 11,  # Assam
    10: 12,  # Bihar
    21: 10,  # Odisha
    9: 10,  # Uttar Pradesh
    22: 7,  # Chhattisgarh
    27: 3,  # Maharashtra
    36: 3,  # Telangana
    28: 2,  # Andhra Pradesh
    29: 2,  # Karnataka
}

# Districts that NGOs repeatedly name as source hot spots get extra weight.
HOTSPOT_DISTRICTS: frozenset[str] = frozenset(
    {
        "South 24 Parganas",
        "North 24 Parganas",
        "Murshidabad",
        "Nadia",
        "Jalpaiguri",
        "Alipurduar",
        "Darjeeling",
        "Malda",
        "Gumla",
        "Simdega",
        "Khunti",
        "Ranchi",
        "Sahebganj",
        "Pakur",
        "Dumka",
        "West Singhbhum",
        "Lohardaga",
        "Ganjam",
        "Koraput",
        "Kandhamal",
        "Rayagada",
        "Sundargarh",
        "Sonitpur",
        "Lakhimpur",
        "Dhubri",
        "Kokrajhar",
        "Udalguri",
        "Araria",
        "Kishanganj",
        "Purnia",
        "Katihar",
        "Sitamarhi",
        "Gaya",
        "Muzaffarpur",
        "Mahrajganj",
        "Bahraich",
        "Shrawasti",
        "Siddharthnagar",
        "Jashpur",
        "Raigarh",
        "Balrampur-Ramanujganj",
        "Surguja",
        "Belagavi",
        "Sangli",
    }
)

# Districts on the open Nepal border, where Nepali-speaking families live.
NEPAL_BORDER_DISTRICTS: frozenset[str] = frozenset(
    {
        "Darjeeling",
        "Kalimpong",
        "Jalpaiguri",
        "Alipurduar",
        "Pashchim Champaran",
        "Purbi Champaran",
        "Sitamarhi",
        "Madhubani",
        "Supaul",
        "Araria",
        "Kishanganj",
        "Mahrajganj",
        "Siddharthnagar",
        "Shrawasti",
        "Bahraich",
        "Balrampur",
        "Kheri",
        "Pilibhit",
    }
)

# Community mix by state (relative weights).
STATE_COMMUNITIES: dict[int, dict[str, float]] = {
    19: {"bengali_hindu": 58, "bengali_muslim": 30, "tribal": 8, "hindi": 4},
    20: {"tribal": 50, "hindi": 35, "muslim_north": 12, "bengali_hindu": 3},
    18: {"assamese": 50, "bengali_muslim": 28, "tribal": 14, "bengali_hindu": 8},
    10: {"hindi": 76, "muslim_north": 24},
    21: {"odia": 78, "tribal": 22},
    9: {"hindi": 76, "muslim_north": 24},
    22: {"hindi": 55, "tribal": 45},
    27: {"marathi": 85, "muslim_north": 15},
    36: {"telugu": 88, "muslim_north": 12},
    28: {"telugu": 90, "muslim_north": 10},
    29: {"kannada": 88, "muslim_north": 12},
    # Destination-city residents (a minority of "home" addresses).
    7: {"hindi": 70, "muslim_north": 30},
    6: {"hindi": 85, "muslim_north": 15},
    24: {"hindi": 60, "marathi": 20, "muslim_north": 20},
    33: {"telugu": 40, "hindi": 40, "muslim_north": 20},
}

# ISO 15924 script used by organisations in each state when they write in a
# native script. Assamese forms use the Bengali-Assamese script; sanscript has
# no separate Assamese scheme, so Bengali glyphs stand in for it.
STATE_SCRIPT: dict[int, str] = {
    19: "Beng",
    18: "Beng",
    16: "Beng",
    21: "Orya",
    20: "Deva",
    10: "Deva",
    9: "Deva",
    22: "Deva",
    27: "Deva",
    7: "Deva",
    6: "Deva",
    23: "Deva",
    8: "Deva",
    36: "Telu",
    28: "Telu",
    29: "Knda",
    33: "Taml",
    24: "Gujr",
    3: "Guru",
}


@dataclass(frozen=True, slots=True)
class Destination:
    city: str
    state_code: int
    district_codes: tuple[int, ...]
    weight: float


# Demand-side cities. Delhi is spread over several of its districts.
DESTINATIONS: tuple[Destination, ...] = (
    Destination("Mumbai", 27, (482, 483), 16),
    Destination("Pune", 27, (490,), 8),
    Destination("Thane", 27, (497,), 6),
    Destination("Delhi", 7, (79, 77, 78, 80, 81, 82, 83, 84, 85), 18),
    Destination("Gurugram", 6, (62,), 7),
    Destination("Kolkata", 19, (315,), 12),
    Destination("Hyderabad", 36, (507,), 8),
    Destination("Bengaluru", 29, (525,), 10),
    Destination("Surat", 24, (459,), 6),
    Destination("Chennai", 33, (568,), 6),
)

# Village name pieces. A root plus a regional suffix gives names that look
# like the real thing (Rampurhat, Kalikapur, Shimulpara, Tentulguda...).
_ROOT_TEXT = (
    "Ram Shyam Kali Kalika Sita Lakshmi Chand Suraj Nandi Bhawani Durga Shiv Hari Gopal "
    "Madhav Bara Chhota Nawa Sonar Chandan Basant Kamal Mohan Gopi Bel Kathal Babla Pipal "
    "Kusum Shimul Tentul Dhan Lal Kala Sona Rupa Hira Moti Nil Pathar Gobind Narayan Jagat "
    "Kishan Mahesh Fateh Sultan Khwaja Mir Nawab Raja Rani Jhau Bansh Khejur Amla Tal Kend "
    "Mahua Sal Jam Karam Hesal Bakul Krishna Radha Balaram Mathura Bishnu Jogi Tara Bhola "
    "Ghosh Sadhu Kamar Kumhar Teli Dom Bagdi Madan Ratan Harin Hathi Bagh Dighi Pukur Nadi "
    "Chak Kadam Neem Bargad Amba Imli Gular Salai Kusmi Phul Barka Sundar Naya Purana"
)
_ROOTS: tuple[str, ...] = tuple(_ROOT_TEXT.split())

_SUFFIXES_BY_STATE: dict[int, tuple[str, ...]] = {
    19: (
        "pur",
        "para",
        "danga",
        "hati",
        "ganj",
        "hat",
        "garh",
        "bari",
        "dihi",
        "nagar",
        "chak",
        "kandi",
        "tala",
        "gachhi",
        "pukur",
        "diha",
        "pota",
    ),
    18: ("gaon", "pather", "bari", "guri", "chapori", "suti", "pur", "para", "jan", "kuchi"),
    10: ("pur", "ganj", "gaon", "tola", "nagar", "bigha", "sarai", "garh", "ahi", "chak"),
    9: ("pur", "ganj", "gaon", "nagar", "sarai", "garh", "khera", "purwa", "abad", "pura"),
    20: ("toli", "tola", "tand", "sera", "bera", "kocha", "jhor", "dih", "pahar", "pur", "gaon"),
    21: ("pada", "pali", "sahi", "guda", "pur", "garh", "pet", "patna", "sahi", "bandh"),
    22: ("para", "pali", "dih", "gaon", "bahar", "pur", "tola", "khar", "bandha"),
    27: ("wadi", "gaon", "pur", "nagar", "wada", "khed", "ner", "pada"),
    36: ("palli", "pet", "guda", "gudem", "peta", "varam", "padu", "puram", "thanda"),
    28: ("palli", "pet", "peta", "varam", "padu", "puram", "palem", "kota"),
    29: ("halli", "hal", "keri", "pura", "gere", "ooru", "hatti", "tanda"),
}
_DEFAULT_SUFFIXES = ("pur", "gaon", "nagar", "ganj", "pura")
_NEPALI_SUFFIXES = ("gaon", "tar", "bas", "dhura", "chowk", "busty", "line")

# Qualifiers that split one village name into hamlets ("Rampur Khurd").
_QUALIFIERS = ("Khurd", "Kalan", "Uttar", "Dakshin", "Purba", "Paschim", "Bazar", "Basti")

# Enough that unrelated families rarely share a village name by chance even
# at a million records, while some still do (as in a real hotspot block).
VILLAGES_PER_DISTRICT = 150


@cache
def villages_for(district_code: int, state_code: int, nepali: bool = False) -> tuple[str, ...]:
    """Synthesised village names for one district.

    Seeded by the district code alone, so a district's villages are the same
    whatever population seed is used (geography is not part of the sample).
    """
    rng = random.Random(f"villages:{district_code}")
    suffixes = _SUFFIXES_BY_STATE.get(state_code, _DEFAULT_SUFFIXES)
    if nepali:
        suffixes = suffixes + _NEPALI_SUFFIXES
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < VILLAGES_PER_DISTRICT:
        root = rng.choice(_ROOTS)
        suffix = rng.choice(suffixes)
        name = root + suffix
        if rng.random() < 0.08:
            name = f"{name} {rng.choice(_QUALIFIERS)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return tuple(names)


# Fictional organisations. Kinds follow the actors who really hold records:
# police anti-human-trafficking units, child welfare committees, shelter
# homes, NGOs and legal services authorities.
_ORG_KINDS = (
    "AHTU {place}",
    "CWC {place}",
    "{place} Mahila Seva Samiti",
    "Asha Shelter Home {place}",
    "{place} Child Rights Forum",
    "DLSA {place}",
    "Mukti Sangathan {place}",
    "{place} Rescue Foundation",
)


@cache
def organisations_for(state_code: int) -> tuple[str, ...]:
    """A stable list of fictional organisations that work in one state."""
    geo = load_geography()
    rng = random.Random(f"orgs:{state_code}")
    districts = list(geo.districts_by_state.get(state_code, ()))
    places: list[str] = []
    # Cities where the destination-side organisations sit come first.
    for dest in DESTINATIONS:
        if dest.state_code == state_code and dest.city not in places:
            places.append(dest.city)
    rng.shuffle(districts)
    for d in districts[:4]:
        if d.name not in places:
            places.append(d.name)
    orgs = []
    for place in places[:5]:
        for kind in rng.sample(_ORG_KINDS, 3):
            orgs.append(kind.format(place=place))
    return tuple(orgs)
