"""Places for the second generator: a small hand-written list of source regions and
destinations of trafficking in India and its neighbours, with the script each region's
records are written in, the name list its people draw from, and village-name parts.

Written for this generator (not taken from Setu's gazetteer): district names are the
common English spellings, and a few carry a second spelling a clerk might use.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    state: str
    locale: str  # key in names.json
    script: str  # sanscript scheme of the region's own script
    districts: tuple[tuple[str, ...], ...]  # (usual spelling, variants...)
    village_heads: tuple[str, ...]
    village_tails: tuple[str, ...]
    weight: float  # share of households


REGIONS: tuple[Region, ...] = (
    Region(
        "West Bengal",
        "bn_BD",
        "bengali",
        (
            ("Murshidabad", "Murshidabaad"),
            ("South 24 Parganas", "24 Parganas South", "Dakshin 24 Parganas"),
            ("North 24 Parganas", "24 Parganas North"),
            ("Nadia", "Nadiya"),
            ("Malda", "Maldah"),
            ("Jalpaiguri",),
            ("Cooch Behar", "Koch Bihar"),
            ("Purulia", "Puruliya"),
            ("Bankura",),
            ("Birbhum",),
        ),
        ("Kali", "Hari", "Bishnu", "Madhu", "Krishna", "Chandi", "Sona", "Gopal", "Ram", "Noa"),
        ("pur", "ganj", "para", "danga", "gachhi", "hat", "khali", "tala"),
        0.30,
    ),
    Region(
        "Odisha",
        "or_IN",
        "oriya",
        (
            ("Ganjam",),
            ("Koraput",),
            ("Kalahandi",),
            ("Balasore", "Baleswar"),
            ("Mayurbhanj",),
            ("Rayagada",),
            ("Sundargarh", "Sundergarh"),
        ),
        ("Bhaba", "Jaga", "Rama", "Gopi", "Hari", "Siba", "Nila", "Chandra"),
        ("pali", "pada", "pur", "sahi", "guda", "bandh"),
        0.15,
    ),
    Region(
        "Jharkhand",
        "hi_IN",
        "devanagari",
        (
            ("Gumla",),
            ("Ranchi",),
            ("Dumka",),
            ("Sahibganj", "Sahebganj"),
            ("Pakur",),
            ("Khunti",),
        ),
        ("Bara", "Chhota", "Kusum", "Mahua", "Sal", "Karam", "Jamun"),
        ("tola", "toli", "tand", "dih", "pur", "nagar"),
        0.12,
    ),
    Region(
        "Bihar",
        "hi_IN",
        "devanagari",
        (
            ("Araria",),
            ("Kishanganj",),
            ("Purnia", "Purnea"),
            ("Katihar",),
            ("Sitamarhi",),
            ("Muzaffarpur", "Muzzafarpur"),
            ("Gaya",),
        ),
        ("Ram", "Sultan", "Bhagwan", "Lakshmi", "Shiv", "Durga", "Madho"),
        ("pur", "ganj", "tola", "nagar", "bigha", "sarai"),
        0.13,
    ),
    Region(
        "Uttar Pradesh",
        "hi_IN",
        "devanagari",
        (
            ("Bahraich",),
            ("Shravasti",),
            ("Maharajganj", "Mahrajganj"),
            ("Siddharthnagar", "Siddharth Nagar"),
            ("Gorakhpur",),
            ("Prayagraj", "Allahabad"),
        ),
        ("Ram", "Shiv", "Hanuman", "Akbar", "Fateh", "Sita", "Devi"),
        ("pur", "garh", "ganj", "abad", "khera", "nagar"),
        0.10,
    ),
    Region(
        "Maharashtra",
        "mr_IN",
        "devanagari",
        (
            ("Nandurbar",),
            ("Beed", "Bid"),
            ("Osmanabad", "Dharashiv"),
            ("Yavatmal", "Yeotmal"),
            ("Solapur", "Sholapur"),
        ),
        ("Ganesh", "Vithal", "Shivaji", "Khandoba", "Ambe", "Tukaram"),
        ("wadi", "gaon", "pur", "nagar", "khed", "wada"),
        0.10,
    ),
    Region(
        "Nepal",
        "ne_NP",
        "devanagari",
        (
            ("Sindhupalchok", "Sindhupalchowk"),
            ("Makwanpur",),
            ("Nuwakot",),
            ("Dhading",),
        ),
        ("Bhim", "Ganesh", "Shanti", "Laxmi", "Durga", "Deu"),
        ("pur", "tar", "khola", "danda", "bazar", "gaun"),
        0.10,
    ),
)

# Where survivors are found and recorded: (city or district, state).
DESTINATIONS: tuple[tuple[str, str], ...] = (
    ("Mumbai", "Maharashtra"),
    ("Pune", "Maharashtra"),
    ("Kolkata", "West Bengal"),
    ("New Delhi", "Delhi"),
    ("Gurugram", "Haryana"),
    ("Hyderabad", "Telangana"),
    ("Bengaluru", "Karnataka"),
    ("Ahmedabad", "Gujarat"),
    ("Surat", "Gujarat"),
    ("Jaipur", "Rajasthan"),
)

STATE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "West Bengal": ("West Bengal", "WB", "W. Bengal", "Paschim Banga"),
    "Odisha": ("Odisha", "Orissa", "OD"),
    "Jharkhand": ("Jharkhand", "JH"),
    "Bihar": ("Bihar", "BR"),
    "Uttar Pradesh": ("Uttar Pradesh", "UP", "U.P."),
    "Maharashtra": ("Maharashtra", "MH"),
    "Nepal": ("Nepal",),
}
