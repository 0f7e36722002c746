"""How each kind of register gets a person's details wrong.

Four sources write about the same people, each with its own habits:

- ``missing``: a missing-person report written down from a relative, in the
  home district. The family's names are right but the person is often under a
  home name (daak naam), the age is the family's guess, places are written the
  old way.
- ``fir``: a police First Information Report, dictated and typed. Spellings by
  ear, initials, given and family name swapped, ages heaped on 0 and 5, at
  times in the state's own script.
- ``intake``: an NGO's intake form after a rescue, far from home. The survivor
  may still give the name a trafficker imposed, may claim 18 as she was told to,
  and may give a false address.
- ``shelter``: a shelter home's register, copied by staff who speak another
  language: names heard through that language, heavy age heaping, thin details.

The rates are judgement, stated in ``PROFILES``, and measured in the tests.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter

from bench.gen3.places import REGIONS, STATE_SCRIPT, District
from bench.gen3.population import Person
from bench.gen3.script import to_script

# What each register gets wrong, as rates (age_sd in years): one column per register, so
# the registers' habits read side by side.
_SOURCES = ("missing", "fir", "intake", "shelter")
# fmt: off
_RATES: dict[str, tuple[float, ...]] = {
    # name           :  missing, fir, intake, shelter
    "phonetic"     : (0.10, 0.30, 0.15, 0.28),
    "vowel"        : (0.05, 0.12, 0.08, 0.15),
    "typo"         : (0.02, 0.07, 0.03, 0.04),
    "swap"         : (0.02, 0.08, 0.04, 0.05),
    "full_in_given": (0.04, 0.08, 0.05, 0.10),
    "initials"     : (0.03, 0.08, 0.04, 0.05),
    "home_given"   : (0.35, 0.08, 0.06, 0.05),
    "alias_home"   : (0.05, 0.05, 0.18, 0.08),
    "renamed"      : (0.00, 0.50, 0.60, 0.50),
    "father"       : (0.92, 0.85, 0.75, 0.50),
    "mother"       : (0.65, 0.20, 0.55, 0.30),
    "dob_full"     : (0.12, 0.03, 0.15, 0.06),
    "dob_year"     : (0.15, 0.05, 0.20, 0.10),
    "age"          : (0.92, 0.95, 0.97, 0.90),
    "age_sd"       : (1.00, 2.00, 1.50, 2.00),
    "heap"         : (0.25, 0.45, 0.35, 0.55),
    "coached"      : (0.00, 0.15, 0.30, 0.10),
    "village"      : (0.97, 0.85, 0.80, 0.65),
    "village_spell": (0.08, 0.30, 0.20, 0.30),
    "neighbour"    : (0.02, 0.05, 0.08, 0.06),
    "district"     : (0.95, 0.90, 0.85, 0.70),
    "old_district" : (0.45, 0.25, 0.15, 0.15),
    "state"        : (0.90, 0.85, 0.90, 0.75),
    "phone"        : (0.85, 0.45, 0.35, 0.15),
    "phone_typo"   : (0.03, 0.06, 0.03, 0.05),
    "phone_changed": (0.00, 0.25, 0.35, 0.40),
    "script"       : (0.15, 0.25, 0.06, 0.20),
    "sex"          : (0.99, 0.97, 0.99, 0.98),
    "false_address": (0.00, 0.10, 0.20, 0.10),
    "kumari"       : (0.30, 0.35, 0.20, 0.30),
}
# fmt: on
PROFILES: dict[str, dict[str, float]] = {
    source: {name: rates[column] for name, rates in _RATES.items()}
    for column, source in enumerate(_SOURCES)
}
SOURCE_WEIGHTS = {"missing": 20, "fir": 24, "intake": 32, "shelter": 24}

# Spellings by ear: each pair is tried both ways, except those in _ONE_WAY
# (nobody writes "Swalman" for "Salman"). Regional habits weigh three times as
# much in their regions (Bengali o for a and b for v; Odia u for a short i; Tamil
# doubling and voicing).
_PHONETIC = (
    ("v", "b"),
    ("w", "v"),
    ("sh", "s"),
    ("ee", "i"),
    ("oo", "u"),
    ("aa", "a"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("z", "j"),
    ("ksh", "x"),
    ("ksh", "kh"),
    ("ai", "ei"),
    ("au", "ou"),
    ("chh", "ch"),
    ("q", "k"),
    ("kh", "k"),
    ("bh", "b"),
    ("gh", "g"),
    ("jh", "j"),
    ("y", "i"),
    ("ri", "ru"),
    ("tt", "t"),
    ("nn", "n"),
    ("mm", "m"),
    ("ll", "l"),
    ("ey", "e"),
    ("sw", "s"),
    ("shr", "sr"),
    ("j", "y"),
)
_ONE_WAY = {("ey", "e"), ("sw", "s"), ("ri", "ru"), ("y", "i")}
_REGIONAL = {
    "bengal": (("a", "o"), ("v", "b"), ("j", "z"), ("sh", "s")),
    "bangladesh": (("a", "o"), ("v", "b"), ("j", "z")),
    "assam": (("a", "o"), ("sh", "x"), ("ch", "s")),
    "odisha": (("i", "u"), ("a", "o"), ("ksh", "kh")),
    "tamil": (("ka", "ga"), ("t", "tt"), ("a", "aa"), ("th", "t")),
    "telugu": (("a", "aa"), ("th", "t"), ("i", "e")),
    "nepal": (("sh", "s"), ("v", "b"), ("x", "ks")),
}
_KEYS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def phonetic(text: str, rng: random.Random, region: str) -> str:
    """One change a listener of another accent would make."""
    low = text.lower()
    rules = list(_REGIONAL.get(region, ())) * 3 + list(_PHONETIC)
    rng.shuffle(rules)
    for a, b in rules:
        for src, dst in ((a, b),) if (a, b) in _ONE_WAY else ((a, b), (b, a)):
            starts = [m.start() for m in re.finditer(re.escape(src), low)]
            if not starts:
                continue
            i = rng.choice(starts)
            if i == 0 and src in ("a", "aa", "i", "y"):
                continue  # an initial vowel is heard right
            new = low[:i] + dst + low[i + len(src) :]
            return _case_like(new, text)
    return text


def vowel(text: str, rng: random.Random) -> str:
    """Dropped or added vowels: a final -a added or lost, a long vowel doubled, a schwa lost."""
    low = text.lower()
    options = []
    if low and low[-1] not in "aeiouy":
        options.append(low + "a")
    if len(low) > 4 and low.endswith("a") and low[-2] not in "aeiouy":
        options.append(low[:-1])
    for m in re.finditer(r"(?<=[^aeiou])a(?=[^aeiou][aeiou])", low):
        if 1 < m.start() < len(low) - 2:
            options.append(low[: m.start()] + low[m.start() + 1 :])
    for m in re.finditer(r"(?<![aeiou])[aeiou](?![aeiou])", low):
        if m.start() > 0:
            options.append(low[: m.start()] + m.group() + low[m.start() :])
    if not options:
        return text
    return _case_like(rng.choice(options), text)


def typo(text: str, rng: random.Random) -> str:
    """A slip on a keyboard: a neighbouring key, a lost or doubled letter, two letters swapped."""
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text))
    kind = rng.randrange(4)
    ch = text[i].lower()
    if kind == 0:
        for row in _KEYS:
            j = row.find(ch)
            if j >= 0:
                near = [row[k] for k in (j - 1, j + 1) if 0 <= k < len(row) and row[k] != " "]
                if near:
                    return text[:i] + rng.choice(near) + text[i + 1 :]
        return text
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + text[i] + text[i:]
    if i < len(text) - 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text


def _case_like(new: str, old: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in new.split(" ")) if old[:1].isupper() else new


def _age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


class Writer:
    """Writes the records of one person, counting every distortion in ``stats``."""

    def __init__(
        self,
        rng: random.Random,
        stats: Counter[str],
        districts_by_state: dict[str, list[District]],
        state_variants: dict[str, tuple[str, ...]],
    ) -> None:
        self.rng = rng
        self.stats = stats
        self.districts = districts_by_state
        self.state_variants = state_variants

    # -- names --------------------------------------------------------------

    def _spell(self, text: str, p: dict[str, float], region: str, what: str) -> str:
        rng = self.rng
        if not text:
            return text
        if rng.random() < p["phonetic"]:
            new = phonetic(text, rng, region)
            if new.lower() != text.lower():
                self.stats[f"phonetic_{what}"] += 1
                text = new
        if rng.random() < p["vowel"]:
            new = vowel(text, rng)
            if new.lower() != text.lower():
                self.stats[f"vowel_{what}"] += 1
                text = new
        if rng.random() < p["typo"]:
            new = typo(text, rng)
            if new != text:
                self.stats[f"typo_{what}"] += 1
                text = new
        return text

    def record(
        self,
        person: Person,
        source: str,
        org: str,
        office_state: str,
        on: dt.date,
        at_destination: bool,
    ) -> dict[str, str]:
        """One record of ``person`` as ``source`` at ``org`` would write it on ``on``."""
        rng, st = self.rng, self.stats
        p = PROFILES[source]
        region = person.region
        st[f"source_{source}"] += 1

        given, alias = person.given, ""
        if person.imposed_name and at_destination and rng.random() < p["renamed"]:
            given = person.imposed_name
            st["renamed"] += 1
            if rng.random() < 0.45:
                alias = person.given
                st["renamed_alias_real"] += 1
        elif person.home_name and rng.random() < p["home_given"]:
            given = person.home_name
            st["home_name_given"] += 1
            if rng.random() < 0.5:
                alias = person.given
        elif person.home_name and rng.random() < p["alias_home"]:
            alias = person.home_name
            st["home_name_alias"] += 1

        family = person.family
        married = person.married_on is not None and on >= person.married_on
        # A family reporting a daughter gives her father's name; elsewhere the husband's.
        if (
            married
            and person.married_family
            and rng.random() < (0.2 if source == "missing" else 0.7)
        ):
            family = person.married_family
            st["married_name"] += 1
        if person.sex == "F" and person.community == "muslim" and rng.random() < 0.35:
            family = rng.choice(("Khatun", "Bibi", "Begum", "Khatoon"))
            st["khatun_bibi"] += 1
        elif (
            person.sex == "F"
            and region in ("bihar", "north", "jharkhand", "chhattisgarh")
            and person.community != "muslim"
            and rng.random() < p["kumari"]
        ):
            family = "Devi" if married else "Kumari"
            st["kumari_devi"] += 1
        if region == "tamil":
            # Tamil naming: no family name, the father's initial or his given name.
            roll = rng.random()
            family = person.father[0] + "." if roll < 0.45 else person.father if roll < 0.8 else ""
            if roll < 0.45:
                st["initial"] += 1
        elif family and rng.random() < p["initials"]:
            family = family[0] + "."
            st["initial"] += 1

        father = person.father
        if rng.random() < p["father"]:
            roll = rng.random()
            if region == "tamil" or roll < 0.5:
                pass
            elif roll < 0.9 and person.father_family:
                father = f"{father} {person.father_family}"
            else:
                father = " ".join(w[0] + "." for w in father.split()) + (
                    f" {person.father_family}" if person.father_family else ""
                )
                st["initial_father"] += 1
        else:
            father = ""
        mother = person.mother if rng.random() < p["mother"] else ""
        if mother and rng.random() < 0.3:
            if person.community == "muslim":
                mother += " Bibi"
            elif region in ("bihar", "north", "jharkhand", "chhattisgarh"):
                mother += " Devi"
            elif person.mother_family:
                mother += f" {person.mother_family}"

        given = self._spell(given, p, region, "given")
        family = family if family.endswith(".") else self._spell(family, p, region, "family")
        father = self._spell(father, p, region, "father")
        mother = self._spell(mother, p, region, "mother")
        alias = self._spell(alias, p, region, "alias")

        if given and family and rng.random() < p["swap"]:
            given, family = family, given
            st["swapped"] += 1
        elif given and family and rng.random() < p["full_in_given"]:
            given, family = f"{given} {family}", ""
            st["full_name_in_given"] += 1
        if rng.random() < 0.01:
            given = ""
            st["missing_given"] += 1

        # -- age and birth date ------------------------------------------------
        true_age = _age_on(person.birth, on)
        age: int | None = None
        if rng.random() < p["age"]:
            age = true_age
            if rng.random() < 0.5:
                age = max(5, round(true_age + rng.gauss(0, p["age_sd"])))
            if age != true_age:
                st["age_off"] += 1
            if true_age < 18 and at_destination and rng.random() < p["coached"]:
                age = rng.choice((18, 18, 19, 20))
                st["coached_age"] += 1
            elif rng.random() < p["heap"] and age % 5:
                age = 5 * round(age / 5)
                st["heaped_age"] += 1
        birth_date = ""
        roll = rng.random()
        if roll < p["dob_full"]:
            r2 = rng.random()
            if r2 < 0.3:
                # Identity documents issued without a known birthday carry 1 January.
                birth_date = f"{person.birth.year}-01-01"
                st["dob_placeholder"] += 1
            elif r2 < 0.4 and person.birth.day <= 12 and person.birth.day != person.birth.month:
                birth_date = dt.date(
                    person.birth.year, person.birth.day, person.birth.month
                ).isoformat()
                st["dob_day_month_swapped"] += 1
            else:
                birth_date = person.birth.isoformat()
            st["dob_full"] += 1
        elif roll < p["dob_full"] + p["dob_year"]:
            # The year is often worked out from the stated age, not known.
            year = on.year - age if age is not None and rng.random() < 0.5 else person.birth.year
            birth_date = str(year)
            st["dob_year"] += 1

        # -- place -------------------------------------------------------------
        village, district, state = person.village, person.district.name, person.state
        district_obj = person.district
        if (
            person.region in ("bangladesh", "nepal")
            and source != "missing"
            and rng.random() < p["false_address"] * 2
        ) or (source in ("fir", "intake") and rng.random() < p["false_address"] / 4):
            # An address in India a trafficker told her to give.
            state = "West Bengal"
            district_obj = self.rng.choice(self.districts["West Bengal"])
            district = district_obj.name
            village = rng.choice(district_obj.villages) if district_obj.villages else village
            st["false_address"] += 1
        elif rng.random() < p["neighbour"] and len(district_obj.villages) > 1:
            others = [v for v in district_obj.villages if v != village]
            village = rng.choice(others)
            st["neighbour_village"] += 1
        village = self._spell(village, {**p, "phonetic": p["village_spell"]}, region, "village")
        if rng.random() >= p["village"]:
            village = ""
        if district_obj.old_names and rng.random() < p["old_district"]:
            district = rng.choice(district_obj.old_names)
            st["old_district"] += 1
        elif district_obj.variants and rng.random() < 0.3:
            district = rng.choice(district_obj.variants)
            st["district_variant"] += 1
        if rng.random() >= p["district"]:
            district = ""
        if self.state_variants.get(state) and rng.random() < 0.15:
            state = rng.choice(self.state_variants[state])
            st["state_variant"] += 1
        if rng.random() >= p["state"]:
            state = ""

        # -- phone -------------------------------------------------------------
        phone = ""
        if rng.random() < p["phone"]:
            phone = person.phone
            if rng.random() < p["phone_changed"]:
                phone = rng.choice("6789") + "".join(rng.choices("0123456789", k=9))
                st["phone_changed"] += 1
            elif rng.random() < p["phone_typo"]:
                i = rng.randrange(len(phone) - 6, len(phone))
                phone = phone[:i] + rng.choice("0123456789".replace(phone[i], "")) + phone[i + 1 :]
                st["phone_typo"] += 1
            if phone[0] in "6789" and rng.random() < 0.1:
                phone = "+91 " + phone[:5] + " " + phone[5:]
                st["phone_formatted"] += 1

        # -- script ------------------------------------------------------------
        script = STATE_SCRIPT.get(office_state, "devanagari")
        if source == "missing":
            script = REGIONS[region]["script"]
        if rng.random() < p["script"]:
            fem = person.sex == "F"
            given = to_script(given, script, fem)
            family = to_script(family, script)
            alias = to_script(alias, script, fem)
            father = to_script(father, script)
            mother = to_script(mother, script, True)
            if rng.random() < 0.5:
                village = to_script(village, script)
            st[f"script_{script}"] += 1
            st["script_any"] += 1

        sex = person.sex if rng.random() < p["sex"] else ""
        return {
            "org": org,
            "given_name": given,
            "family_name": family,
            "alias": alias,
            "sex": sex,
            "age": "" if age is None else str(age),
            "birth_date": birth_date,
            "father_name": father,
            "mother_name": mother,
            "village": village,
            "district": district,
            "state": state,
            "phone": phone,
            "recorded_on": on.isoformat(),
            "person_id": person.pid,
        }
