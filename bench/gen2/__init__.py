"""A second, independent generator of Indian case records with truth labels.

Pure Python (no Django, nothing from ``setu``), written separately from
``setu.synth`` so that the linkage engine can be measured on data its authors did
not shape. ``bench/README.md`` describes the model; in short:

* names from Faker's Hindi, Marathi, Bengali, Odia and Nepali person lists
  (vendored in ``names.json``), drawn with Zipf weights, held in native script;
* joint-family households (grandparents, married sons, their children) with twins,
  siblings born in one calendar year, and daughters who take their husband's
  family name on marriage;
* a person's records come from a home missing report, a rescue at a destination
  city, a shelter and a repatriation visit, each with its own habits: script
  (Devanagari, Bengali, Odia, or one of several romanisation styles), stated or
  estimated ages heaped on multiples of five, missing fields, names renamed by
  traffickers (the original sometimes kept as an alias), home names, swapped name
  order, keyboard, OCR, phonetic and vowel-sign errors.

    from bench.gen2 import generate
    data = generate(10_000, seed=1)   # data.records: interchange rows with person_id
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.gen2 import corrupt
from bench.gen2.places import DESTINATIONS, REGIONS, STATE_SPELLINGS, Region

COLUMNS: tuple[str, ...] = (
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

# Home names (daak naam) used inside families, and names traffickers give.
HOME_NAMES = (
    "Pinki", "Munni", "Guddi", "Sonu", "Chhoti", "Bulbul", "Tuktuki", "Mou", "Rumi",
    "Babli", "Lali", "Tuni", "Khuku", "Mithu", "Buri", "Putul", "Bhuri", "Gudiya",
)  # fmt: skip
NEW_NAMES = (
    "Pooja", "Priya", "Neha", "Simran", "Kajal", "Sweety", "Payal", "Rubina", "Nisha",
    "Roshni", "Riya", "Sana", "Muskan", "Komal", "Jyoti", "Dolly", "Reshma", "Sapna",
)  # fmt: skip


@dataclass
class Person:
    pid: str
    given: str  # native script
    family: str  # native script (maiden name for married women)
    sex: str
    birth: dt.date
    father: str  # native given name of the father
    mother: str
    region: Region
    district: int
    village: str
    phone: str
    married_family: str = ""
    home_name: str = ""


@dataclass
class Dataset:
    records: list[dict[str, str]]
    stats: Counter[str] = field(default_factory=Counter)

    def truth(self) -> dict[str, str]:
        return {r["record_id"]: r["person_id"] for r in self.records}


def _names() -> dict[str, dict[str, list[str]]]:
    return json.loads(Path(__file__).with_name("names.json").read_text(encoding="utf-8"))


def _zipf(items: list[str], salt: str) -> tuple[list[str], list[float]]:
    # Name lists carry no frequencies: rank them in a fixed pseudo-random order
    # (by hash, independent of the seed) and give rank r the weight 1/(r + 3).
    ranked = sorted(items, key=lambda s: hashlib.sha1((salt + s).encode()).hexdigest())
    return ranked, [1.0 / (r + 3) for r in range(len(ranked))]


class _Names:
    def __init__(self) -> None:
        raw = _names()
        self.lists: dict[tuple[str, str, str], tuple[list[str], list[float]]] = {}
        for locale, lists in raw.items():
            for group in ("hindu", "muslim"):
                faith = "hinduism" if group == "hindu" else "islamic"
                for kind in ("first_names_female", "first_names_male", "last_names"):
                    items = (
                        lists[kind]
                        if locale != "bn_BD"
                        else lists[f"{kind}_{faith}"] + lists[f"{kind}_common"]
                    )
                    self.lists[(locale, group, kind)] = _zipf(items, f"{locale}{kind}")

    def draw(self, rng: random.Random, locale: str, group: str, kind: str) -> str:
        items, weights = self.lists[(locale, group, kind)]
        return rng.choices(items, weights)[0]


def _phone(rng: random.Random) -> str:
    return rng.choice("6789") + "".join(rng.choice("0123456789") for _ in range(9))


def _village(rng: random.Random, region: Region) -> str:
    return rng.choice(region.village_heads) + rng.choice(region.village_tails)


def _spelling(rng: random.Random, options: tuple[str, ...]) -> str:
    # The usual spelling most of the time, a variant otherwise.
    if len(options) == 1 or rng.random() < 0.75:
        return options[0]
    return rng.choice(options[1:])


def _date(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.names = _Names()
        self.stats: Counter[str] = Counter()
        self.n_persons = 0

    def pid(self) -> str:
        self.n_persons += 1
        return f"P{self.n_persons:07d}"

    # -- households -----------------------------------------------------------

    def household(self) -> list[tuple[Person, list[Person]]]:
        """One joint family; returns its children as (child, siblings) pairs."""
        rng = self.rng
        region = rng.choices(REGIONS, [r.weight for r in REGIONS])[0]
        group = "muslim" if region.locale == "bn_BD" and rng.random() < 0.35 else "hindu"
        loc = region.locale
        family = self.names.draw(rng, loc, group, "last_names")
        district = rng.randrange(len(region.districts))
        village = _village(rng, region)
        phone = _phone(rng)
        out: list[tuple[Person, list[Person]]] = []
        for _son in range(rng.choice((1, 1, 2, 2, 3))):
            father = self.names.draw(rng, loc, group, "first_names_male")
            mother = self.names.draw(rng, loc, group, "first_names_female")
            year = rng.randint(1990, 2012)
            own_phone = phone if rng.random() < 0.6 else _phone(rng)
            children: list[Person] = []
            for _k in range(rng.choice((1, 2, 2, 3, 3, 4, 5))):
                sex = "F" if rng.random() < 0.75 else "M"
                kind = "first_names_female" if sex == "F" else "first_names_male"
                given = self.names.draw(rng, loc, group, kind)
                if any(c.given == given for c in children):
                    continue  # parents do not give two children one name
                birth = _date(rng, year)
                child = Person(
                    self.pid(), given, family, sex, birth, father, mother,
                    region, district, village, own_phone,
                )  # fmt: skip
                if rng.random() < 0.25:
                    child.home_name = rng.choice(HOME_NAMES)
                children.append(child)
                r = rng.random()
                if r < 0.02 and len(children) < 6:
                    # Twins: one date of birth, two names.
                    twin_sex = sex if rng.random() < 0.7 else ("M" if sex == "F" else "F")
                    tkind = "first_names_female" if twin_sex == "F" else "first_names_male"
                    tgiven = self.names.draw(rng, loc, group, tkind)
                    if tgiven != given:
                        twin = Person(
                            self.pid(), tgiven, family, twin_sex, birth, father, mother,
                            region, district, village, own_phone,
                        )  # fmt: skip
                        children.append(twin)
                        self.stats["twins"] += 1
                    year += rng.randint(1, 3)
                elif r < 0.10:
                    year += 0 if birth.month <= 3 else 1  # next child within the year
                else:
                    year += rng.randint(1, 4)
            years = Counter(c.birth.year for c in children)
            self.stats["same_year_siblings"] += sum(1 for c in children if years[c.birth.year] > 1)
            for c in children:
                out.append((c, [s for s in children if s is not c]))
        return out

    # -- records --------------------------------------------------------------

    def n_records(self) -> int:
        return self.rng.choices((1, 2, 3, 4, 5), (0.33, 0.35, 0.19, 0.09, 0.04))[0]

    def event(self) -> tuple[int, tuple[str, str], int]:
        """When a person went missing, where to, and the day the family reported it."""
        return self.rng.randint(2014, 2024), self.rng.choice(DESTINATIONS), self.rng.randrange(365)

    def persons_records(
        self, person: Person, event: tuple[int, tuple[str, str], int]
    ) -> list[dict[str, str]]:
        rng = self.rng
        start, dest, report_day = event
        age_then = start - person.birth.year
        if age_then < 9 or age_then > 34:
            return []
        if person.sex == "F" and age_then >= 17 and rng.random() < 0.55:
            group = "muslim" if person.region.locale == "bn_BD" and rng.random() < 0.3 else "hindu"
            person.married_family = self.names.draw(rng, person.region.locale, group, "last_names")
        kinds = ["home", "rescue", "shelter", "repatriation"]
        k = self.n_records()
        chosen = sorted(rng.sample(range(4), min(k, 4)))
        chosen += [rng.randrange(4) for _ in range(k - len(chosen))]
        # Traffickers rename a person once; the rescue and shelter records may carry it.
        new_name = rng.choice(NEW_NAMES) if rng.random() < 0.2 else ""
        out = []
        for i, kind_idx in enumerate(sorted(chosen)):
            kind = kinds[kind_idx]
            # Rescue and shelter happen in the event's destination city; the family's
            # report is dated the day they made it.
            day = report_day if kind == "home" else rng.randrange(365) + 200 * kind_idx + i
            when = dt.date(start, 1, 1) + dt.timedelta(days=day)
            out.append(self.record(person, kind, when, new_name, dest))
        return out

    def write_name(self, native: str, person: Person, script: str | None, style: str) -> str:
        src = person.region.script
        if script is not None:
            text = corrupt.to_script(native, src, script)
            if script != src:
                self.stats["cross_script"] += 1
            if self.rng.random() < 0.12:
                changed = corrupt.matra_error(text, self.rng)
                if changed != text:
                    self.stats["matra"] += 1
                text = changed
            return text
        text = corrupt.romanise(native, src, style)
        if self.rng.random() < 0.1:
            changed, kind = corrupt.latin_error(text, self.rng)
            if changed != text:
                self.stats[kind] += 1
            text = changed
        return text

    def record(
        self, p: Person, kind: str, when: dt.date, new_name: str, city: tuple[str, str]
    ) -> dict[str, str]:
        rng = self.rng
        region = p.region
        if kind in ("home", "repatriation"):
            native_p = 0.35 if kind == "home" else 0.2
            script = region.script if rng.random() < native_p else None
            dest = None
        else:
            dest = city
            script = None
            if dest[1] == "West Bengal" and rng.random() < 0.3:
                script = "bengali"
            elif dest[1] == "Maharashtra" and rng.random() < 0.2:
                script = "devanagari"
        if script is not None:
            self.stats[f"script_{script}"] += 1
        # Most clerks write the plain spelling; some double long vowels, Bengali and
        # Odia offices often write the inherent vowel as o, some merge sh and s.
        style = rng.choices(corrupt.STYLES, (0.6, 0.15, 0.15, 0.1))[0]
        self.stats[f"style_{style}"] += 1
        given = self.write_name(p.given, p, script, style)
        family_native = p.family
        if p.married_family and (kind != "home" or rng.random() < 0.2) and rng.random() < 0.7:
            family_native = p.married_family
            self.stats["married_surname"] += 1
        family = self.write_name(family_native, p, script, style)
        alias = ""
        if new_name and kind in ("rescue", "shelter") and rng.random() < 0.7:
            self.stats["renamed"] += 1
            if rng.random() < 0.4:
                alias = given  # the original name, kept as an alias
            given = new_name
            if rng.random() < 0.5:
                family = ""
        elif p.home_name and rng.random() < 0.3:
            if rng.random() < 0.3:
                given = p.home_name  # known only by the home name
            else:
                alias = p.home_name
            self.stats["home_name"] += 1
        row: dict[str, str] = {c: "" for c in COLUMNS}
        row.update(person_id=p.pid, given_name=given, family_name=family, alias=alias)
        row["org"] = f"{kind}-{(dest[0] if dest else region.districts[p.district][0]).lower()}"
        row["recorded_on"] = when.isoformat()
        row["sex"] = p.sex if rng.random() < 0.9 else ""
        # Birth: a full date from a school certificate at home, else an age, estimated
        # and heaped on multiples of five away from home.
        age = when.year - p.birth.year - ((when.month, when.day) < (p.birth.month, p.birth.day))
        if kind == "home" and rng.random() < 0.35:
            row["birth_date"] = p.birth.isoformat()
        elif kind == "home":
            row["age"] = str(age)
        else:
            guess = age + round(rng.gauss(0, 1.5 if kind == "repatriation" else 2.5))
            if rng.random() < 0.45:
                heaped = 5 * round(guess / 5)
                if heaped != guess:
                    self.stats["heaped_age"] += 1
                guess = heaped
            row["age"] = str(max(guess, 5))
        # Parents and home: well known at home, sketchy away from it.
        full = kind in ("home", "repatriation")
        if rng.random() < (0.95 if full else 0.5):
            row["father_name"] = self.write_name(p.father, p, script, style)
        if rng.random() < (0.8 if full else 0.3):
            row["mother_name"] = self.write_name(p.mother, p, script, style)
        if rng.random() < (0.95 if full else 0.4):
            village = p.village
            if rng.random() < 0.15:
                village, kind_ = corrupt.latin_error(village, rng)
                self.stats[kind_] += 1
            row["village"] = village
        if rng.random() < (0.98 if full else 0.7):
            row["district"] = _spelling(rng, region.districts[p.district])
        if rng.random() < (0.98 if full else 0.85):
            row["state"] = _spelling(rng, STATE_SPELLINGS[region.state])
        if rng.random() < (0.85 if full else 0.15):
            row["phone"] = self.write_phone(p.phone)
        self.shuffle_names(row)
        for col in ("given_name", "family_name", "father_name", "village"):
            if row[col] and rng.random() < 0.04:
                row[col] = ""
                self.stats["missing_field"] += 1
        return row

    def write_phone(self, phone: str) -> str:
        rng = self.rng
        if rng.random() < 0.05:
            i = rng.randrange(10)
            phone = phone[:i] + rng.choice("0123456789") + phone[i + 1 :]
            self.stats["phone_typo"] += 1
        form = rng.random()
        if form < 0.2:
            return f"+91 {phone[:5]} {phone[5:]}"
        if form < 0.3:
            return "0" + phone
        return phone

    def shuffle_names(self, row: dict[str, str]) -> None:
        r = self.rng.random()
        if r < 0.04 and row["family_name"]:
            row["given_name"], row["family_name"] = row["family_name"], row["given_name"]
            self.stats["swapped_order"] += 1
        elif r < 0.07 and row["family_name"]:
            row["given_name"] = f"{row['given_name']} {row['family_name']}".strip()
            row["family_name"] = ""
            self.stats["full_name_in_given"] += 1


def generate(n_records: int, seed: int = 1) -> Dataset:
    """At least ``n_records`` records (whole households, so a few more)."""
    gen = _Generator(seed)
    rng = gen.rng
    rows: list[dict[str, str]] = []
    while len(rows) < n_records:
        children = gen.household()
        if not children:
            continue
        first, _ = rng.choice(children)
        event = gen.event()
        subjects = [(first, event)]
        # Often a sister, a cousin or a twin goes missing too, mostly in the same
        # event: hard non-matches.
        for other, _ in children:
            if other is first:
                continue
            same_birth = other.birth == first.birth
            if rng.random() < (0.6 if same_birth else 0.15):
                together = rng.random() < 0.7
                subjects.append((other, event if together else gen.event()))
                gen.stats["sibling_subjects"] += 1
                gen.stats["twin_subjects"] += same_birth
        for person, when in subjects:
            rows.extend(gen.persons_records(person, when))
    order = list(range(len(rows)))
    rng.shuffle(order)
    records = []
    for i, j in enumerate(order):
        row = rows[j]
        row["record_id"] = f"G2-{i + 1:07d}"
        records.append(row)
    return Dataset(records, gen.stats)


def write(data: Dataset, records_csv: Path, truth_csv: Path) -> None:
    """The interchange CSV (no truth in it) and the truth CSV (record_id, person_id)."""
    with records_csv.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        w.writerows(data.records)
    with truth_csv.open("w", encoding="utf-8", newline="") as fh:
        tw = csv.writer(fh)
        tw.writerow(("record_id", "person_id"))
        tw.writerows((r["record_id"], r["person_id"]) for r in data.records)


def fingerprint() -> str:
    """Changes whenever the generator's code or name lists change (for caching)."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for f in sorted([*here.glob("*.py"), here / "names.json"]):
        h.update(f.read_bytes())
    return h.hexdigest()[:8]
