"""The true population: villages, joint households, siblings, twins and cousins.

Only the people records are written about (the "subjects") are returned, but
they are drawn from whole families so that the hard cases of real registers
appear: sisters from one house, cousins sharing a family name and a
grandfather, twins with one birth date, namesakes in one village (common names
are common), married women under their husband's family name, and people a
trafficker renamed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bench.gen3 import curated
from bench.gen3.places import REGIONS, District, load_districts, village_names

DATA = Path(__file__).resolve().parent / "data" / "names.json"
TWIN_RATE = 0.015  # twin births per birth in India (about 1 in 65)
FIRST_DAY = dt.date(2012, 1, 1)
LAST_DAY = dt.date(2022, 12, 31)  # last disappearance; records run on after it

# The second part of a name shared by brothers in the north and east
# ("Ram Prasad", "Shyam Prasad"), a habit that makes cousins' fathers look alike.
SHARED_SECOND = ("Kumar", "Prasad", "Lal", "Chandra", "Nath", "Prakash", "Singh", "Kanta")


@dataclass
class Person:
    """One true person written about in the records, with everything true about them."""

    pid: str
    sex: str
    given: str
    family: str  # family name by birth ("" for Tamil naming, which has none)
    region: str
    community: str  # hindu, muslim, tribal, nepali
    birth: dt.date
    father: str  # father's given name
    father_family: str
    mother: str
    mother_family: str
    village: str
    district: District
    state: str
    phone: str
    home_name: str = ""
    married_family: str = ""  # husband's family name, for married women
    married_on: dt.date | None = None
    imposed_name: str = ""  # name a trafficker gave
    missing_on: dt.date = FIRST_DAY
    household: str = ""
    twin_of: str = ""
    tags: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _names() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


class _Pool:
    """Weighted draws from a ranked list: weight ~ (rank + 8) ** -0.85.

    Ranks alone are published, so a Zipf-like law turns them into shares; the
    offset keeps the commonest name near 3% of people, as in Indian registers,
    instead of the 15% a pure 1/rank law would give.
    """

    def __init__(self, ranked: list[tuple[str, int]]) -> None:
        self.names = [n for n, _ in ranked]
        cum = 0.0
        self.cum: list[float] = []
        for _, r in ranked:
            cum += (r + 8) ** -0.85
            self.cum.append(cum)

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.names, cum_weights=self.cum)[0]


@lru_cache(maxsize=64)
def _pool(kind: str, sex: str) -> _Pool:
    data = _names()
    ranks_in = data["family"]["IN"]
    ranks_bd = data["family"]["BD"]
    default = 3000
    if kind in data["given"] or f"{kind}_{sex}" in data["given"]:
        ranked = [(n, r) for n, r in data["given"][f"{kind}_{sex}"]]
        if kind == "muslim":
            # Curated members the dataset lacks get a middling rank.
            have = {n for n, _ in ranked}
            ranked += [(n, 800) for n in curated.MUSLIM_GIVEN[sex] if n not in have]
        return _Pool(ranked)
    if kind == "tamil":
        given_rank = {n: r for n, r in data["given"][f"general_{sex}"]}
        return _Pool([(n, given_rank.get(n, 600)) for n in curated.TAMIL_GIVEN[sex]])
    if kind == "nepali":
        return _Pool([(n, i * 3 + 1) for i, n in enumerate(curated.NEPALI_GIVEN[sex])])
    if kind == "nepali_family":
        return _Pool([(n, i * 2 + 1) for i, n in enumerate(curated.NEPALI_FAMILY)])
    if kind == "muslim_family":
        ranks = ranks_bd if sex == "BD" else ranks_in
        return _Pool([(n, ranks.get(n, default)) for n in curated.MUSLIM_FAMILY])
    if kind.startswith("family_"):
        region = kind.removeprefix("family_")
        if region == "bangladesh":
            hindu_bd = ("Das", "Roy", "Sarkar", "Biswas", "Ghosh", "Saha", "Mondal", "Dey", "Pal")
            return _Pool([(n, ranks_bd.get(n, default)) for n in hindu_bd])
        return _Pool([(n, ranks_in.get(n, default)) for n in curated.REGION_FAMILY[region]])
    if kind == "home":
        return _Pool([(n, i + 1) for i, n in enumerate(curated.HOME_NAMES[sex])])
    if kind == "imposed":
        return _Pool([(n, i + 1) for i, n in enumerate(curated.IMPOSED_NAMES[sex])])
    raise KeyError(kind)


def _given_kind(region: str, community: str) -> str:
    if community == "muslim":
        return "muslim"
    if community == "nepali":
        return "nepali"
    if region in ("bengal", "bangladesh", "assam"):
        return "bengali"
    if region == "tamil":
        return "tamil"
    if region in ("telugu", "karnataka"):
        return "south"
    return "general"


def given_name(rng: random.Random, region: str, community: str, sex: str) -> str:
    """A given name as the region and community would choose it."""
    kind = _given_kind(region, community)
    # Regional pools are small: most people carry names common all over India.
    if kind in ("bengali", "south", "tamil") and rng.random() < 0.45:
        kind = "general"
    return _pool(kind, sex).draw(rng)


def family_name(rng: random.Random, region: str, community: str) -> str:
    """A family (clan) name for a household in ``region``."""
    if community == "nepali":
        return _pool("nepali_family", "").draw(rng)
    if community == "muslim":
        return _pool("muslim_family", "BD" if region == "bangladesh" else "IN").draw(rng)
    if region == "tamil":
        return ""
    return _pool(f"family_{region}", "").draw(rng)


def _phone(rng: random.Random, region: str) -> str:
    if region == "nepal":
        return "+97798" + "".join(rng.choices("0123456789", k=8))
    if region == "bangladesh":
        return "01" + rng.choice("3456789") + "".join(rng.choices("0123456789", k=8))
    return rng.choice("6789") + "".join(rng.choices("0123456789", k=9))


def _birth(rng: random.Random, missing_on: dt.date, lo: int, hi: int) -> dt.date:
    age_days = rng.randint(lo * 365, hi * 365 + 364)
    return missing_on - dt.timedelta(days=age_days)


def _community(rng: random.Random, region: str) -> str:
    if region == "nepal":
        return "nepali"
    if rng.random() < REGIONS[region]["muslim"]:
        return "muslim"
    if region in ("jharkhand", "odisha", "chhattisgarh") and rng.random() < 0.4:
        return "tribal"
    return "hindu"


@dataclass
class _Village:
    region: str
    state: str
    district: District
    name: str


def _villages(rng: random.Random, n_persons: int) -> list[_Village]:
    districts = load_districts()
    out: list[_Village] = []
    # About a dozen subjects per village: enough that cousins and namesakes meet.
    n_villages = max(20, n_persons // 12)
    total = sum(r["weight"] for r in REGIONS.values())
    for region, info in REGIONS.items():
        k = max(2, round(n_villages * info["weight"] / total))
        pool = [d for s in info["states"] for d in districts.get(s, [])]
        # Trafficking concentrates in some districts: use a third of them, unevenly.
        chosen = rng.sample(pool, max(2, len(pool) // 3))
        weights = [1.0 / (i + 1) for i in range(len(chosen))]
        for _ in range(k):
            d = rng.choices(chosen, weights=weights)[0]
            taken = set(d.villages)
            name = village_names(rng, region, 1, taken)
            if not name:
                continue
            d.villages.append(name[0])
            out.append(_Village(region, d.state, d, name[0]))
    return out


def build(rng: random.Random, n_persons: int) -> list[Person]:
    """About ``n_persons`` subjects drawn from whole families in whole villages."""
    villages = _villages(rng, n_persons)
    weights = [REGIONS[v.region]["weight"] for v in villages]
    people: list[Person] = []
    hh = 0
    while len(people) < n_persons:
        village = rng.choices(villages, weights=weights)[0]
        region = village.region
        community = _community(rng, region)
        # A joint household: brothers and their families under one family name.
        clan = family_name(rng, region, community)
        grandfather = given_name(rng, region, community, "M")
        shared = (
            rng.choice(SHARED_SECOND)
            if (
                region in ("bihar", "north", "jharkhand", "bengal", "chhattisgarh")
                and community == "hindu"
                and rng.random() < 0.35
            )
            else ""
        )
        phone_joint = _phone(rng, region)
        n_brothers = rng.choices((1, 2, 3, 4), weights=(45, 30, 17, 8))[0]
        # When one family's child goes missing, so at times does a cousin (same trafficker).
        missing_on = FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
        for b in range(n_brothers):
            hh += 1
            father = given_name(rng, region, community, "M")
            if shared:
                father = f"{father.split()[0]} {shared}"
            mother = given_name(rng, region, community, "F")
            mother_family = family_name(rng, region, community)
            # Tamil: no family name; the father's father's given name stands in.
            father_family = grandfather if region == "tamil" else clan
            n_subjects = rng.choices((0, 1, 2, 3), weights=(30 if b else 0, 52, 14, 4))[0]
            if n_subjects == 0:
                continue
            phone = phone_joint if rng.random() < 0.4 else _phone(rng, region)
            when = missing_on + dt.timedelta(days=rng.randint(0, 60) if b else 0)
            children: list[Person] = []
            for c in range(n_subjects):
                # Girls are most of those trafficked for sex and domestic work; boys
                # and men for labour.
                sex = "F" if rng.random() < 0.78 else "M"
                lo, hi = (9, 26) if sex == "F" else (10, 35)
                # Twins are reported more often among subjects than among births:
                # they are often taken together. Four times the birth rate per
                # younger sibling keeps twins near 2-3% of subjects.
                twin = bool(children) and rng.random() < TWIN_RATE * 4
                if twin:
                    birth = children[-1].birth
                    sex = children[-1].sex if rng.random() < 0.6 else sex
                else:
                    birth = _birth(rng, when, lo, hi)
                    if children:
                        # Sisters a year or more apart, not sharing a birth date.
                        gap = rng.randint(400, 2500) * rng.choice((-1, 1))
                        birth = children[0].birth + dt.timedelta(days=gap)
                        birth = min(birth, when - dt.timedelta(days=8 * 365))
                given = given_name(rng, region, community, sex)
                if any(ch.given == given for ch in children):
                    given = given_name(rng, region, community, sex)
                p = Person(
                    pid=f"p{len(people) + len(children):07d}",
                    sex=sex,
                    given=given,
                    family=father_family,
                    region=region,
                    community=community,
                    birth=birth,
                    father=father,
                    father_family=father_family,
                    mother=mother,
                    mother_family=mother_family,
                    village=village.name,
                    district=village.district,
                    state=village.state,
                    phone=phone,
                    missing_on=when + dt.timedelta(days=rng.randint(0, 20) if c else 0),
                    household=f"h{hh}",
                )
                if twin:
                    p.twin_of = children[-1].pid
                    children[-1].twin_of = p.pid
                    p.tags.append("twin")
                    if "twin" not in children[-1].tags:
                        children[-1].tags.append("twin")
                if region in ("bengal", "bangladesh", "assam", "odisha") or rng.random() < 0.35:
                    p.home_name = _pool("home", sex).draw(rng)
                age_at_missing = (p.missing_on - p.birth).days // 365
                if sex == "F" and age_at_missing >= 17 and rng.random() < 0.45:
                    # Married before (or through) the trafficking: a husband's family name.
                    p.married_family = family_name(rng, region, community) or given_name(
                        rng, region, community, "M"
                    )
                    p.married_on = p.missing_on - dt.timedelta(days=rng.randint(-200, 1500))
                    p.tags.append("married")
                if rng.random() < (0.30 if region == "bangladesh" else 0.12):
                    p.imposed_name = _pool("imposed", sex).draw(rng)
                    if p.imposed_name == p.given:
                        p.imposed_name = ""
                    else:
                        p.tags.append("renamed")
                children.append(p)
            people.extend(children)
    return people
