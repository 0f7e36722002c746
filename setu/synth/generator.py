"""Generate labelled synthetic person records for a trafficking-response network.

A *person* is the ground truth: one human being with a family, a home
village in a source district and a destination city. Each person is then
written down 1..k times by different organisations (a missing-person report
at home, a rescue record in the destination city, survivor follow-ups), each
record drifting from the truth the way real Indian case records do.

Siblings are generated as separate persons that share father, mother,
family name, village and often a phone: they are the hard non-matches.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from .geo import (
    DESTINATIONS,
    HOTSPOT_DISTRICTS,
    NEPAL_BORDER_DISTRICTS,
    SOURCE_STATE_WEIGHTS,
    STATE_COMMUNITIES,
    STATE_SCRIPT,
    District,
    load_geography,
    organisations_for,
    villages_for,
)
from .names import (
    COMMON_NICKNAMES_F,
    COMMON_NICKNAMES_M,
    COMMUNITIES,
    EQUIVALENT_SPELLINGS,
    HONORIFICS,
)
from .variation import (
    format_phone,
    keyboard_typo,
    phone_typo,
    to_script,
    translit_variant,
    village_variant,
)

INTERCHANGE_COLUMNS: tuple[str, ...] = (
    "record_id",
    "org",
    "given_name",
    "family_name",
    "alias",
    "sex",
    "age",
    "birth_date",
    "father_name",
    "mother_name",
    "village",
    "district",
    "state",
    "phone",
    "recorded_on",
)
# Ground truth and provenance carried next to the interchange columns.
EXTRA_COLUMNS: tuple[str, ...] = (
    "person_id",
    "script",
    "home_state_code",
    "role",
    "recorded_state",
)
RECORD_COLUMNS: tuple[str, ...] = INTERCHANGE_COLUMNS + EXTRA_COLUMNS

ROLES: tuple[str, ...] = ("missing_report", "rescued", "survivor")

# Share of persons with 1, 2, 3... records. Most people are known to one
# organisation; a long tail move through several.
DEFAULT_RECORDS_PER_PERSON: tuple[float, ...] = (45, 30, 14, 7, 3, 1)

# Every variation class the generator can apply; tests check each appears.
VARIATION_CLASSES: tuple[str, ...] = (
    "translit_given",
    "translit_family",
    "translit_parent",
    "native_script",
    "honorific_added",
    "honorific_dropped",
    "name_swapped",
    "name_merged",
    "single_name",
    "nickname_as_given",
    "alias_nickname",
    "prefix_dropped",
    "typo_name",
    "uppercase",
    "father_given_only",
    "age_only",
    "age_error",
    "dob_day_month_swapped",
    "dob_year_only",
    "dob_missing",
    "district_variant",
    "district_former_name",
    "state_abbreviation",
    "state_variant",
    "village_variant",
    "village_typo",
    "phone_format",
    "phone_typo",
    "missing_field",
)

_START = date(2015, 1, 1)
_LAST_EVENT = date(2025, 12, 31)
_END = date(2026, 6, 30)

_MOHAMMAD = frozenset(s.lower() for s in EQUIVALENT_SPELLINGS[0])


@dataclass(slots=True)
class Person:
    """Ground truth for one human being."""

    person_id: str
    family_id: str
    community: str
    sex: str
    given_name: str
    family_name: str
    given_name_native: str
    family_name_native: str
    script: str
    birth_date: date
    father_name: str
    mother_name: str
    village: str
    district_code: int
    district_name: str
    state_code: int
    state_name: str
    phones: tuple[str, ...]
    nicknames: tuple[str, ...]
    destination_city: str
    destination_state_code: int
    trafficked_on: date
    # Father's surname; a record may use it where the person's own family
    # name is an honorific (Rahima Khatun -> Rahima Sk).
    clan_name: str = ""


@dataclass(slots=True)
class Population:
    """Persons (truth) and the records organisations hold about them."""

    people: list[Person]
    records: list[dict[str, object]]
    seed: int
    variation_counts: Counter[str] = field(default_factory=Counter)
    # record_id -> variation classes applied; filled only with track_variations.
    variations: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def truth(self) -> dict[str, str]:
        """record_id -> person_id."""
        return {r["record_id"]: r["person_id"] for r in self.records}  # type: ignore[misc]


def expected_records_per_person(weights: Sequence[float] = DEFAULT_RECORDS_PER_PERSON) -> float:
    total = sum(weights)
    return sum((k + 1) * w for k, w in enumerate(weights)) / total


def persons_for_records(
    n_records: int, weights: Sequence[float] = DEFAULT_RECORDS_PER_PERSON
) -> int:
    """How many persons to generate for roughly ``n_records`` records."""
    return max(1, round(n_records / expected_records_per_person(weights)))


class _Context:
    """Weight tables prepared once per run."""

    def __init__(self) -> None:
        geo = load_geography()
        self.geo = geo
        self.source_states = list(SOURCE_STATE_WEIGHTS)
        self.source_cum = list(itertools.accumulate(SOURCE_STATE_WEIGHTS.values()))
        self.districts: dict[int, tuple[list[District], list[float]]] = {}
        for code in self.source_states:
            ds = [d for d in geo.districts_by_state[code] if d.code not in _URBAN_DISTRICTS]
            weights = [4.0 if d.name in HOTSPOT_DISTRICTS else 1.0 for d in ds]
            self.districts[code] = (ds, list(itertools.accumulate(weights)))
        self.communities: dict[int, tuple[list[str], list[float]]] = {
            code: (list(mix), list(itertools.accumulate(mix.values())))
            for code, mix in STATE_COMMUNITIES.items()
        }
        self.dest_cum = list(itertools.accumulate(d.weight for d in DESTINATIONS))


_URBAN_DISTRICTS = frozenset(c for d in DESTINATIONS for c in d.district_codes)


def _pick(rng: random.Random, items: Sequence, cum: Sequence[float]):  # type: ignore[no-untyped-def]
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


def _phone(rng: random.Random) -> str:
    return str(rng.choice("6789")) + f"{rng.randrange(10**9):09d}"


def _age_at_trafficking(rng: random.Random, sex: str) -> int:
    r = rng.random()
    if sex == "F":
        if r < 0.08:
            return rng.randint(10, 13)
        if r < 0.48:
            return rng.randint(14, 17)
        if r < 0.78:
            return rng.randint(18, 22)
        if r < 0.95:
            return rng.randint(23, 30)
        return rng.randint(31, 40)
    # Boys are mostly trafficked young, for labour.
    if r < 0.35:
        return rng.randint(8, 13)
    if r < 0.75:
        return rng.randint(14, 17)
    return rng.randint(18, 30)


def _years_between(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _make_family(ctx: _Context, rng: random.Random, family_no: int, size: int) -> list[Person]:
    geo = ctx.geo
    # Most people come from source states; a few are city families whose
    # child went missing locally (gives Kolkata/Calcutta, Gurugram/Gurgaon...).
    if rng.random() < 0.05:
        dest = _pick(rng, DESTINATIONS, ctx.dest_cum)
        district = geo.districts[rng.choice(dest.district_codes)]
        state_code = dest.state_code
    else:
        state_code = _pick(rng, ctx.source_states, ctx.source_cum)
        ds, cum = ctx.districts[state_code]
        district = _pick(rng, ds, cum)
    state = geo.states[state_code]
    nepali_area = district.name in NEPAL_BORDER_DISTRICTS
    if nepali_area and rng.random() < 0.45:
        community = "nepali"
    else:
        names, cum = ctx.communities[state_code]
        community = _pick(rng, names, cum)
    pools = COMMUNITIES[community]
    villages = villages_for(district.code, state_code, nepali_area)
    # Skewed towards the first villages: cases cluster in a few places.
    village = villages[int(len(villages) * rng.random() ** 1.6)]
    clan = rng.choice(pools["family"])
    father = f"{rng.choice(pools['male'])} {clan}"
    mother_given = rng.choice(pools["female"])
    titles = pools["female_title"]
    mother_surname = titles[0] if titles and rng.random() < 0.6 else clan
    mother = f"{mother_given} {mother_surname}"
    family_phone = _phone(rng) if rng.random() < 0.7 else ""
    script = STATE_SCRIPT.get(state_code, "Deva")

    # Siblings are often trafficked together by the same agent.
    together = rng.random() < 0.3
    first_event = _random_date(rng, _START, _LAST_EVENT)
    first_dest = _pick(rng, DESTINATIONS, ctx.dest_cum)

    people: list[Person] = []
    used_given: set[str] = {father.split()[0], mother_given}
    base_age: int | None = None
    for i in range(size):
        sex = "F" if rng.random() < 0.75 else "M"
        pool = pools["female"] if sex == "F" else pools["male"]
        given = rng.choice(pool)
        while given in used_given:
            given = rng.choice(pool)
        used_given.add(given)
        if (
            sex == "M"
            and community in ("bengali_muslim", "muslim_north")
            and given != "Mohammad"
            and rng.random() < 0.35
        ):
            given = f"Mohammad {given}"
        family_name = clan
        if sex == "F" and titles:
            # Many women are known by a title in place of a surname
            # (Rahima Khatun, Priya Kumari, Mangal Bai).
            t = 0.55 if community in ("bengali_muslim", "muslim_north") else 0.25
            if rng.random() < t:
                family_name = rng.choice(titles)
        if together or i == 0:
            event, dest = first_event, first_dest
        else:
            event = _random_date(rng, _START, _LAST_EVENT)
            dest = _pick(rng, DESTINATIONS, ctx.dest_cum)
        age = _age_at_trafficking(rng, sex)
        if base_age is not None and rng.random() < 0.5:
            # Keep siblings close in age so age alone cannot tell them apart;
            # a few are twins.
            age = max(8, base_age + rng.choice((-3, -2, -1, 0, 1, 2, 3)))
        base_age = age if base_age is None else base_age
        birth = event - timedelta(days=365 * age + rng.randrange(365))
        nick: list[str] = []
        if rng.random() < 0.5:
            own = pools["nick_f"] if sex == "F" else pools["nick_m"]
            common = COMMON_NICKNAMES_F if sex == "F" else COMMON_NICKNAMES_M
            nick.append(rng.choice(own if rng.random() < 0.5 else common))
            if rng.random() < 0.15:
                extra = rng.choice(common)
                if extra not in nick:
                    nick.append(extra)
        phones: list[str] = []
        if family_phone and rng.random() < 0.8:
            phones.append(family_phone)
        if rng.random() < 0.35:
            phones.append(_phone(rng))
        pid = f"P{family_no:07d}{i}"
        people.append(
            Person(
                person_id=pid,
                family_id=f"F{family_no:07d}",
                community=community,
                sex=sex,
                given_name=given,
                family_name=family_name,
                given_name_native=to_script(given, script, sex == "F"),
                family_name_native=to_script(family_name, script),
                script=script,
                birth_date=birth,
                father_name=father,
                mother_name=mother,
                village=village,
                district_code=district.code,
                district_name=district.name,
                state_code=state.code,
                state_name=state.name,
                phones=tuple(phones),
                nicknames=tuple(nick),
                destination_city=dest.city,
                destination_state_code=dest.state_code,
                trafficked_on=event,
                clan_name=clan,
            )
        )
    return people


def _roles(rng: random.Random, k: int) -> list[str]:
    roles = ["missing_report" if rng.random() < 0.45 else "rescued"]
    while len(roles) < k:
        prev = roles[-1]
        r = rng.random()
        if prev == "missing_report":
            roles.append("rescued" if r < 0.7 else "survivor")
        elif prev == "rescued":
            roles.append("survivor" if r < 0.85 else "rescued")
        else:
            # Re-trafficking after return is common enough to model.
            roles.append("rescued" if r < 0.15 else "survivor")
    return roles


class _RecordMaker:
    def __init__(self, rng: random.Random, counts: Counter[str], native_rate: float) -> None:
        self.rng = rng
        self.counts = counts
        self.native_rate = native_rate
        self.geo = load_geography()

    def make(
        self, p: Person, role: str, recorded_on: date, recorded_state: int, tags: list[str]
    ) -> dict[str, object]:
        rng = self.rng
        rnd = rng.random
        female = p.sex == "F"
        pools = COMMUNITIES[p.community]

        # --- names (Latin first; native rendering at the end) ---
        given, family = p.given_name, p.family_name
        alias = ""
        first = given.split()[0].lower()
        if first in _MOHAMMAD and " " in given and rnd() < 0.3:
            given = given.split(" ", 1)[1]
            tags.append("prefix_dropped")
        if rnd() < 0.28:
            given = translit_variant(given, rng)
            tags.append("translit_given")
        if family and rnd() < 0.2:
            family = translit_variant(family, rng)
            tags.append("translit_family")
        if p.family_name in HONORIFICS and rnd() < 0.3:
            family = p.clan_name if rnd() < 0.6 else ""
            tags.append("honorific_dropped")
        else:
            titles = pools["female_title"] if female else pools["male_title"]
            if titles and rnd() < 0.15:
                title = rng.choice(titles)
                if rnd() < 0.5:
                    family = title
                else:
                    given = f"{given} {title}"
                tags.append("honorific_added")
        if p.nicknames:
            r = rnd()
            if r < 0.07:
                alias = given if rnd() < 0.5 else ""
                given = rng.choice(p.nicknames)
                tags.append("nickname_as_given")
            elif r < 0.35:
                alias = rng.choice(p.nicknames)
                tags.append("alias_nickname")
        r = rnd()
        if family and r < 0.06:
            given, family = family, given
            tags.append("name_swapped")
        elif family and r < 0.11:
            given, family = f"{given} {family}", ""
            tags.append("name_merged")
        elif family and r < 0.17:
            family = ""
            tags.append("single_name")
        if rnd() < 0.05:
            given = keyboard_typo(given, rng)
            tags.append("typo_name")
        elif family and rnd() < 0.04:
            family = keyboard_typo(family, rng)
            tags.append("typo_name")

        father = p.father_name
        if rnd() < 0.35:
            father = ""
            tags.append("missing_field")
        else:
            if rnd() < 0.3:
                father = father.split()[0]
                tags.append("father_given_only")
            if rnd() < 0.2:
                father = translit_variant(father, rng)
                tags.append("translit_parent")
        mother = p.mother_name
        if rnd() < 0.5:
            mother = ""
        elif rnd() < 0.25:
            mother = mother.split()[0]

        # --- place ---
        village = p.village
        r = rnd()
        if r < 0.12:
            village = ""
            tags.append("missing_field")
        elif r < 0.36:
            village = village_variant(village, rng)
            tags.append("village_variant")
        elif r < 0.42:
            village = keyboard_typo(village, rng)
            tags.append("village_typo")
        district = self._district(p, tags)
        state = self._state(p, tags)

        # --- script and case ---
        script = "Latn"
        native = STATE_SCRIPT.get(recorded_state)
        if native is not None:
            rate = 0.15 if recorded_state == p.state_code else 0.06
            if rnd() < rate * self.native_rate:
                script = native
                given = to_script(given, script, female)
                family = to_script(family, script)
                alias = to_script(alias, script, female)
                father = to_script(father, script)
                mother = to_script(mother, script, True)
                village = to_script(village, script)
                tags.append("native_script")
        if script == "Latn" and rnd() < 0.08:
            given, family, alias = given.upper(), family.upper(), alias.upper()
            father, mother, village = father.upper(), mother.upper(), village.upper()
            tags.append("uppercase")

        # --- sex, age and birth date ---
        sex = p.sex
        if rnd() < 0.04:
            sex = ""
            tags.append("missing_field")
        age: int | None = None
        birth = ""
        true_age = _years_between(p.birth_date, recorded_on)
        r = rnd()
        if r < 0.38:
            b = p.birth_date
            if b.day <= 12 and b.day != b.month and rnd() < 0.1:
                birth = f"{b.year:04d}-{b.day:02d}-{b.month:02d}"
                tags.append("dob_day_month_swapped")
            else:
                birth = b.isoformat()
            if rnd() < 0.3:
                age = true_age
        elif r < 0.48:
            birth = f"{p.birth_date.year:04d}"
            tags.append("dob_year_only")
            if rnd() < 0.4:
                age = true_age
        elif r < 0.9:
            tags.append("age_only")
            if rnd() < 0.45:
                age = true_age
            else:
                # Ages are guessed by the person recording; error grows
                # in both directions.
                age = max(1, true_age + rng.choice((-3, -2, -2, -1, -1, -1, 1, 1, 1, 2, 2, 3)))
                tags.append("age_error")
        else:
            tags.append("dob_missing")

        # --- phone ---
        phone = ""
        if p.phones and rnd() < 0.6:
            number = p.phones[rng.randrange(len(p.phones))]
            if rnd() < 0.04:
                number = phone_typo(number, rng)
                tags.append("phone_typo")
            phone = format_phone(number, rng)
            if phone != number:
                tags.append("phone_format")

        orgs = organisations_for(recorded_state)
        return {
            "record_id": "",
            "org": orgs[rng.randrange(len(orgs))],
            "given_name": given,
            "family_name": family,
            "alias": alias,
            "sex": sex,
            "age": age,
            "birth_date": birth,
            "father_name": father,
            "mother_name": mother,
            "village": village,
            "district": district,
            "state": state,
            "phone": phone,
            "recorded_on": recorded_on.isoformat(),
            "person_id": p.person_id,
            "script": script,
            "home_state_code": p.state_code,
            "role": role,
            "recorded_state": recorded_state,
        }

    def _district(self, p: Person, tags: list[str]) -> str:
        rnd = self.rng.random
        d = self.geo.districts[p.district_code]
        r = rnd()
        if r < 0.07:
            tags.append("missing_field")
            return ""
        if d.former_names and r < 0.2:
            tags.append("district_former_name")
            return self.rng.choice(d.former_names)
        if d.variants and r < 0.3:
            tags.append("district_variant")
            return self.rng.choice(d.variants)
        if r < 0.34:
            tags.append("district_variant")
            return d.name.upper() if rnd() < 0.5 else f"{d.name} Dist."
        return d.name

    def _state(self, p: Person, tags: list[str]) -> str:
        rng = self.rng
        s = self.geo.states[p.state_code]
        r = rng.random()
        if r < 0.06:
            tags.append("missing_field")
            return ""
        if r < 0.26 and s.abbreviations:
            tags.append("state_abbreviation")
            abbr = s.abbreviations[0]
            form = rng.random()
            if form < 0.5:
                return abbr
            if form < 0.8:
                return ".".join(abbr) + "."
            return ".".join(abbr)
        if r < 0.33 and (s.variants or s.former_names):
            tags.append("state_variant")
            return rng.choice(s.variants + s.former_names)
        if r < 0.37:
            tags.append("state_variant")
            return s.name.upper()
        return s.name


def iter_population(
    n_persons: int,
    *,
    seed: int = 0,
    records_per_person: Sequence[float] = DEFAULT_RECORDS_PER_PERSON,
    sibling_rate: float = 0.3,
    native_script_rate: float = 1.0,
    counts: Counter[str] | None = None,
    variations: dict[str, tuple[str, ...]] | None = None,
) -> Iterator[tuple[Person, list[dict[str, object]]]]:
    """Yield ``(person, records)`` one person at a time, in generation order.

    Record ids are sequential here; ``generate_population`` shuffles records
    and renumbers them so that file order says nothing about identity.
    ``sibling_rate`` is the share of families with more than one person in
    the population; ``native_script_rate`` scales how often records are in a
    native script (0 disables it).
    """
    if n_persons < 0:
        raise ValueError("n_persons must be >= 0")
    rng = random.Random(seed)
    ctx = _Context()
    counts = counts if counts is not None else Counter()
    maker = _RecordMaker(rng, counts, native_script_rate)
    ks = list(range(1, len(records_per_person) + 1))
    k_cum = list(itertools.accumulate(records_per_person))
    made = 0
    family_no = 0
    record_no = 0
    while made < n_persons:
        family_no += 1
        size = 1
        if rng.random() < sibling_rate:
            size = 2 if rng.random() < 0.75 else 3
        size = min(size, n_persons - made)
        for person in _make_family(ctx, rng, family_no, size):
            made += 1
            k = _pick(rng, ks, k_cum)
            roles = _roles(rng, k)
            when = person.trafficked_on
            records: list[dict[str, object]] = []
            for role in roles:
                if role == "missing_report":
                    when = when + timedelta(days=rng.randrange(0, 90))
                    recorded_state = person.state_code
                elif role == "rescued":
                    when = when + timedelta(days=rng.randrange(20, 900))
                    recorded_state = person.destination_state_code
                else:
                    when = when + timedelta(days=rng.randrange(5, 400))
                    at_home = rng.random() < 0.7
                    recorded_state = person.state_code if at_home else person.destination_state_code
                if when > _END:
                    when = _END - timedelta(days=rng.randrange(0, 120))
                tags: list[str] = []
                rec = maker.make(person, role, when, recorded_state, tags)
                record_no += 1
                rec["record_id"] = f"R{record_no:08d}"
                counts.update(set(tags))
                if variations is not None:
                    variations[rec["record_id"]] = tuple(tags)  # type: ignore[index]
                records.append(rec)
            yield person, records


def generate_population(
    n_persons: int,
    *,
    seed: int = 0,
    records_per_person: Sequence[float] = DEFAULT_RECORDS_PER_PERSON,
    sibling_rate: float = 0.3,
    native_script_rate: float = 1.0,
    shuffle: bool = True,
    track_variations: bool = False,
) -> Population:
    """Generate ``n_persons`` true persons and the records held about them.

    ``records_per_person`` gives relative weights for 1, 2, 3... records per
    person. Deterministic for a given seed and arguments. Records are plain
    dicts with ``RECORD_COLUMNS``: all text fields are ``str`` (``""`` when
    missing), ``age`` is ``int | None``, ``home_state_code`` and
    ``recorded_state`` are LGD state codes (``int``).
    """
    counts: Counter[str] = Counter()
    variations: dict[str, tuple[str, ...]] | None = {} if track_variations else None
    people: list[Person] = []
    records: list[dict[str, object]] = []
    for person, recs in iter_population(
        n_persons,
        seed=seed,
        records_per_person=records_per_person,
        sibling_rate=sibling_rate,
        native_script_rate=native_script_rate,
        counts=counts,
        variations=variations,
    ):
        people.append(person)
        records.extend(recs)
    if shuffle:
        # A separate stream so shuffling does not change the records themselves.
        random.Random(f"shuffle:{seed}").shuffle(records)
        renamed: dict[str, tuple[str, ...]] = {}
        for i, rec in enumerate(records, 1):
            new_id = f"R{i:08d}"
            if variations is not None:
                renamed[new_id] = variations[rec["record_id"]]  # type: ignore[index]
            rec["record_id"] = new_id
        if variations is not None:
            variations = renamed
    return Population(
        people=people,
        records=records,
        seed=seed,
        variation_counts=counts,
        variations=variations or {},
    )
