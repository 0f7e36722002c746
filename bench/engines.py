"""Engine runners. Each runs inside its own worker process (see run.py) so
that peak memory is measured per engine and per data set.

Timings cover interchange CSV -> clusters (reading, normalising, training
where the engine trains, scoring, clustering); interpreter start-up and
imports are excluded.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
import re
import statistics
import time
import unicodedata
from pathlib import Path
from typing import Any

from bench.datasets import read_truth, write_clusters


def setu_dedupe(input_csv: Path, clusters_csv: Path) -> dict[str, Any]:
    from setu.linkage import dedupe, read_records

    started = time.perf_counter()
    records = read_records(input_csv)
    clusters = dedupe(records)
    seconds = time.perf_counter() - started
    write_clusters(clusters, clusters_csv)
    return {"seconds": seconds, "records": len(records)}


# Splink sees the same CSV after the cleaning Splink's own tutorials and its
# feature-engineering guide do: names and villages written in an Indian script
# transliterated to Latin (``latin``, below), lower case, punctuation stripped,
# a Metaphone key of given and family name, phone reduced to its last ten
# digits; dob is a full ISO date where the record has one, birth_year comes
# from the date, from a bare year, or from age at recording time.
_SPLINK_PREP_SQL = r"""
CREATE TABLE records AS
WITH raw AS (SELECT * FROM read_csv('{path}', header = true, all_varchar = true)),
named AS (
SELECT
    *,
    nullif(trim(regexp_replace(lower(latin(given_name)), '[^\p{{L}}\p{{M}} ]', '', 'g')), '')
        AS given_clean,
    nullif(trim(regexp_replace(lower(latin(family_name)), '[^\p{{L}}\p{{M}} ]', '', 'g')), '')
        AS family_clean
FROM raw
)
SELECT
    record_id AS unique_id,
    given_clean AS given_name,
    family_clean AS family_name,
    nullif(trim(regexp_replace(lower(latin(alias)), '[^\p{{L}}\p{{M}} ]', '', 'g')), '')
        AS alias,
    nullif(metaphone(given_clean), '') AS given_mp,
    nullif(metaphone(family_clean), '') AS family_mp,
    nullif(trim(regexp_replace(lower(latin(father_name)), '[^\p{{L}}\p{{M}} ]', '', 'g')), '')
        AS father_name,
    nullif(trim(regexp_replace(lower(latin(mother_name)), '[^\p{{L}}\p{{M}} ]', '', 'g')), '')
        AS mother_name,
    nullif(trim(regexp_replace(lower(latin(village)), '[^\p{{L}}\p{{M}}0-9 ]', '', 'g')), '')
        AS village,
    nullif(trim(lower(district)), '') AS district,
    nullif(trim(lower(state)), '') AS state,
    nullif(right(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), 10), '') AS phone,
    nullif(upper(trim(sex)), '') AS sex,
    CASE WHEN length(birth_date) = 10 THEN birth_date END AS dob,
    coalesce(
        try_cast(substr(birth_date, 1, 4) AS INTEGER),
        year(try_cast(recorded_on AS DATE)) - try_cast(age AS INTEGER)
    ) AS birth_year
FROM named
"""

_NATIVE_SCRIPTS = {
    "DEVANAGARI": "devanagari",
    "BENGALI": "bengali",
    "ORIYA": "oriya",
    "GURMUKHI": "gurmukhi",
    "GUJARATI": "gujarati",
    "TAMIL": "tamil",
    "TELUGU": "telugu",
    "KANNADA": "kannada",
    "MALAYALAM": "malayalam",
}


@functools.lru_cache(maxsize=200_000)
def latin(text: str) -> str:
    """A name in an Indian script, in Latin letters (ITRANS, lower-cased later).

    Splink compares strings and has no transliteration, so a name written in
    Devanagari and the same name in Latin letters would never agree for it. The
    word-final inherent vowel is dropped (सोहेल -> sohel, not sohela), as
    Hindi and Bengali speakers do and as names are romanised.
    """
    if text.isascii():
        return text
    from indic_transliteration import sanscript

    words = []
    for word in text.split():
        first = next((c for c in word if unicodedata.category(c) == "Lo"), None)
        script = _NATIVE_SCRIPTS.get(unicodedata.name(first, "").split(" ")[0]) if first else None
        if script is None:
            words.append(word)
            continue
        out = sanscript.transliterate(word, script, sanscript.ITRANS)
        last = word[-1]
        if (
            out.endswith("a")
            and unicodedata.category(last) == "Lo"
            and "LETTER A" not in unicodedata.name(last, "")
            and " VOWEL " not in unicodedata.name(last, "")
        ):
            out = out[:-1]
        words.append(out)
    return " ".join(words)


def _metaphone(text: str) -> str:
    import jellyfish

    return jellyfish.metaphone(text)


def _register_cleaning(con: Any) -> None:
    con.create_function("latin", latin, ["VARCHAR"], "VARCHAR")
    con.create_function("metaphone", _metaphone, ["VARCHAR"], "VARCHAR")


# Columns Splink may model; only those that carry data in an input are used.
_SPLINK_COLUMNS = (
    "given_name",
    "family_name",
    "alias",
    "given_mp",
    "family_mp",
    "father_name",
    "mother_name",
    "dob",
    "birth_year",
    "village",
    "district",
    "state",
    "phone",
    "sex",
)

# Candidate blocking rules, most specific first. A rule is used for prediction
# when its columns are present and it makes at most _MAX_RULE_PAIRS comparisons
# (Splink's docs: check each rule's count with the blocking analysis and keep
# the union of manageable rules that together cover the true matches).
_PREDICTION_RULES: tuple[tuple[str, ...], ...] = (
    ("phone",),
    ("given_name", "family_name"),
    ("dob",),
    ("given_mp", "family_mp"),
    ("given_name",),
    ("family_name",),
    ("district",),
    ("given_name", "birth_year"),
    ("family_name", "birth_year"),
    ("given_name", "district"),
    ("family_name", "district"),
    ("family_name", "village"),
    ("given_name", "village"),
    ("given_mp", "birth_year"),
    ("family_mp", "birth_year"),
    ("given_mp", "district"),
    ("family_mp", "district"),
    ("given_mp", "village"),
    ("father_name", "family_name"),
    ("father_name", "district"),
    ("birth_year", "district"),
    ("village", "district"),
)
_MAX_RULE_PAIRS = 2_000_000


def _rule_pairs(con: Any, cols: tuple[str, ...]) -> int:
    where = " AND ".join(f"{c} IS NOT NULL" for c in cols)
    keys = ", ".join(cols)
    sql = (
        f"SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM "
        f"(SELECT count(*) AS n FROM records WHERE {where} GROUP BY {keys})"
    )
    return int(con.execute(sql).fetchall()[0][0])


def splink_config(con: Any) -> dict[str, Any]:
    """The Splink set-up for the table ``records`` in ``con``: which columns carry
    data, the comparisons, and the blocking rules for prediction, the prior and EM,
    chosen from the data the way Splink's tutorials do (no truth is looked at)."""
    counts = {
        col: con.execute(f"SELECT count({col}) FROM records").fetchall()[0][0]
        for col in _SPLINK_COLUMNS
    }
    present = {c for c, k in counts.items() if k > 0}
    # Full dates of birth: DateOfBirthComparison, as in Splink's FEBRL examples,
    # when most records that state a birth give the full date; else (ages and
    # years, as Indian case records mostly hold) year levels.
    full_dates = counts["dob"] >= 0.5 * max(counts["birth_year"], 1)
    pairs = {rule: _rule_pairs(con, rule) for rule in _PREDICTION_RULES if set(rule) <= present}
    prediction = [r for r, n in pairs.items() if n <= _MAX_RULE_PAIRS]
    if ("given_name", "family_name") in pairs:
        prediction.append("swap")  # given and family name written the other way round
    if "alias" in present and "given_name" in present:
        # A name given by traffickers, or a home name, in one record's alias and
        # the other's given name (Splink's blocking rules are plain SQL).
        prediction += ["alias", "alias_reversed"]
    birth = ("dob",) if full_dates else ("birth_year",)
    # Deterministic rules must admit very few false positives (Splink's docs).
    # Many people share a common given name, family name and birth year (an
    # age-derived year is shared by one pair in sixty), so without a full date
    # the village is added.
    deterministic = [
        r
        for r in (
            (
                "given_name",
                "family_name",
                *birth,
                *(() if full_dates or "village" not in present else ("village",)),
            ),
            ("phone", "given_name"),
            ("given_name", "family_name", "father_name"),
        )
        if set(r) <= present
    ]

    def em_rule(*options: tuple[str, ...]) -> tuple[str, ...] | None:
        # The first option whose blocked pairs are a manageable, informative sample.
        for opt in options:
            if set(opt) <= present and 0 < _rule_pairs(con, opt) <= 5 * _MAX_RULE_PAIRS:
                return opt
        return None

    # EM needs blocked samples in which matches are common (Splink's modelling
    # tips). A full date of birth is such a key, even where only some records
    # hold one; an age-derived year is shared by a sixtieth of all pairs. Blocked
    # on a year and a place, or on a district alone, the sample is mostly
    # households, and EM learns "same family" instead of "same person" (a given
    # name's m of 0.08 where it was trained so on the third generator).
    if full_dates:
        names_em = em_rule(birth, (*birth, "district"))
    else:
        names_em = em_rule(("dob",), (*birth, "village"), (*birth, "district"))
    em = [
        r
        for r in (
            names_em,
            em_rule(("district",), ("district", "family_name"), ("district", "given_name"))
            if full_dates
            else None,
            em_rule(("given_name", "family_name")),
        )
        if r
    ]
    em = list(dict.fromkeys(em))
    return {
        "present": sorted(present),
        "full_dates": full_dates,
        "prediction_rules": prediction,
        "rule_pairs": {"+".join(r): n for r, n in pairs.items()},
        "deterministic_rules": deterministic,
        "em_rules": em,
    }


_EXACT = re.compile(r'^"(\w+)_l" = "\1_r"$')


def _rules_recall(
    comparisons: list[Any], rules: list[tuple[str, ...]], completeness: dict[str, float]
) -> float:
    """The share of true matches the deterministic rules find, as the trained model sees it.

    Under the Fellegi-Sunter model's own assumption (fields agree independently
    among matches), a rule on columns C finds a match with probability
    prod over C of (both filled) x m(exact agreement). Both filled is taken as the
    column's completeness squared; m(exact) is the m of the column's exact-equality
    level (plus that of the date of birth, for the birth year). The union of the
    rules comes by inclusion-exclusion.
    """
    agree: dict[str, float] = {}
    for comparison in comparisons:
        for lv in comparison.comparison_levels:
            exact = None if lv.is_null_level else _EXACT.match(lv.sql_condition.strip())
            if exact:
                agree[exact.group(1)] = lv.m_probability or 0.0
    if "dob" in agree and "birth_year" in agree:
        agree["birth_year"] += agree["dob"]  # one date of birth, one year

    def p(cols: set[str]) -> float:
        out = 1.0
        for c in cols:
            out *= completeness.get(c, 0.0) ** 2 * agree.get(c, 0.0)
        return out

    total = 0.0
    for k in range(1, len(rules) + 1):
        for subset in itertools.combinations(rules, k):
            total += (-1) ** (k + 1) * p(set().union(*subset))
    # Bounded so that a model that failed to train cannot blow the prior up.
    return min(max(total, 0.01), 1.0)


def splink_dedupe(
    input_csv: Path,
    clusters_csv: Path,
    *,
    threshold: float = 0.9,
    max_pairs: float = 1e7,
    seed: int = 1,
    edges_csv: Path | None = None,
    model_json: Path | None = None,
) -> dict[str, Any]:
    """Splink 5 on DuckDB, set up per data set as Splink's documentation teaches.

    Comparisons (only for columns with data): given name with NameComparison's
    levels plus names written the other way round, the alias against the other
    record's given name or alias, and a Metaphone match; family name likewise
    (without the alias); NameComparison for father's and mother's name; term
    frequencies on every exact name level; DateOfBirthComparison on full dates,
    else birth-year levels (full date, exact, within 1, within 5 for rounded
    ages); village, district and state as one place comparison for Indian
    records, or Jaro-Winkler village, Damerau-Levenshtein postcode and exact
    state when the district column holds postcodes; phone and sex exact.
    Training: u from random pairs, m by EM over several blocking rules, then the
    prior from deterministic rules whose recall is read off the trained m. Clusters
    are the connected components of pairs at ``threshold``; every scored pair
    (p >= 0.01) is written to ``edges_csv`` so the parent can sweep thresholds untimed.
    """
    import logging

    import duckdb
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    started = time.perf_counter()
    con = duckdb.connect()
    _register_cleaning(con)
    con.execute(_SPLINK_PREP_SQL.format(path=str(input_csv).replace("'", "''")))
    n = con.execute("SELECT count(*) FROM records").fetchall()[0][0]
    cfg = splink_config(con)
    present = set(cfg["present"])

    comparisons: list[Any] = []
    if "given_name" in present:
        # NameComparison's levels, with the levels Splink's docs add for names
        # written the other way round (ColumnsReversedLevel, as in
        # ForenameSurnameComparison), for an alias column (the one record's alias
        # against the other's given name or alias) and for a phonetic key.
        levels = [
            cll.NullLevel("given_name"),
            cll.ExactMatchLevel("given_name").configure(tf_adjustment_column="given_name"),
        ]
        if "family_name" in present:
            levels.append(cll.ColumnsReversedLevel("given_name", "family_name", symmetrical=True))
        levels += [
            cll.JaroWinklerLevel("given_name", 0.92),
            cll.JaroWinklerLevel("given_name", 0.88),
        ]
        if "alias" in present:
            levels.append(
                cll.CustomLevel(
                    '"alias_l" = "given_name_r" OR "given_name_l" = "alias_r" '
                    'OR "alias_l" = "alias_r"',
                    label_for_charts="Alias matches the other's given name or alias",
                )
            )
        levels += [
            cll.ExactMatchLevel("given_mp").configure(label_for_charts="Metaphone match"),
            cll.JaroWinklerLevel("given_name", 0.7),
            cll.ElseLevel(),
        ]
        comparisons.append(
            cl.CustomComparison(output_column_name="given_name", comparison_levels=levels)
        )
    if "family_name" in present:
        comparisons.append(
            cl.CustomComparison(
                output_column_name="family_name",
                comparison_levels=[
                    cll.NullLevel("family_name"),
                    cll.ExactMatchLevel("family_name").configure(
                        tf_adjustment_column="family_name"
                    ),
                    cll.JaroWinklerLevel("family_name", 0.92),
                    cll.JaroWinklerLevel("family_name", 0.88),
                    cll.ExactMatchLevel("family_mp").configure(label_for_charts="Metaphone match"),
                    cll.JaroWinklerLevel("family_name", 0.7),
                    cll.ElseLevel(),
                ],
            )
        )
    for col in ("father_name", "mother_name"):
        if col in present:
            comparisons.append(cl.NameComparison(col).configure(term_frequency_adjustments=True))
    if cfg["full_dates"]:
        comparisons.append(
            cl.DateOfBirthComparison(
                "dob", input_is_string=True, datetime_format="%Y-%m-%d", invalid_dates_as_null=True
            )
        )
    elif "birth_year" in present:
        comparisons.append(
            cl.CustomComparison(
                output_column_name="birth_year",
                comparison_levels=[
                    cll.NullLevel("birth_year"),
                    *([cll.ExactMatchLevel("dob")] if "dob" in present else []),
                    cll.ExactMatchLevel("birth_year"),
                    cll.AbsoluteDifferenceLevel("birth_year", 1),
                    cll.AbsoluteDifferenceLevel("birth_year", 5),
                    cll.ElseLevel(),
                ],
            )
        )
    numeric = (
        "district" in present
        and con.execute(
            "SELECT bool_and(regexp_full_match(district, '[0-9]+')) FROM records "
            "WHERE district IS NOT NULL"
        ).fetchall()[0][0]
    )
    place = [c for c in ("village", "district", "state") if c in present]
    if place and not numeric:
        # Village, district and state are one administrative hierarchy (a village
        # lies in one district, a district in one state), so their agreements are
        # far from independent, which the Fellegi-Sunter model assumes; Splink's
        # README warns against highly correlated columns. They make one comparison:
        # its best level counts, once. Where the district column holds postcodes
        # (FEBRL), they stay apart, as in Splink's FEBRL examples.
        levels = (
            [cll.And(*(cll.NullLevel(c) for c in place))]
            if len(place) > 1
            else [cll.NullLevel(place[0])]
        )
        if "village" in present:
            levels += [
                cll.ExactMatchLevel("village").configure(tf_adjustment_column="village"),
                cll.JaroWinklerLevel("village", 0.9),
            ]
        if "district" in present:
            # District names are spelt several ways (Puruliya, Purulia).
            levels += [
                cll.ExactMatchLevel("district").configure(tf_adjustment_column="district"),
                cll.JaroWinklerLevel("district", 0.9),
                cll.JaroWinklerLevel("district", 0.8),
            ]
        if "state" in present:
            levels.append(cll.ExactMatchLevel("state").configure(tf_adjustment_column="state"))
        levels.append(cll.ElseLevel())
        comparisons.append(
            cl.CustomComparison(output_column_name="place", comparison_levels=levels)
        )
    else:
        if "village" in present:
            comparisons.append(cl.JaroWinklerAtThresholds("village", [0.9, 0.8]))
        if "district" in present:
            comparisons.append(
                cl.DamerauLevenshteinAtThresholds("district", [1, 2]).configure(
                    term_frequency_adjustments=True
                )
            )
        if "state" in present:
            comparisons.append(cl.ExactMatch("state").configure(term_frequency_adjustments=True))
    for col in ("phone", "sex"):
        if col in present:
            comparisons.append(cl.ExactMatch(col))

    def rule(cols: tuple[str, ...] | str) -> Any:
        if cols == "swap":
            return "l.given_name = r.family_name AND l.family_name = r.given_name"
        if cols == "alias":  # two rules: one OR would make DuckDB compare every pair
            return "l.alias = r.given_name"
        if cols == "alias_reversed":
            return "l.given_name = r.alias"
        return block_on(*cols)

    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[rule(r) for r in cfg["prediction_rules"]],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI(connection=con)
    sdf = db_api.register("records")
    linker = Linker(sdf, settings, log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for r in cfg["em_rules"]:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule(r), estimate_without_term_frequencies=True, max_pairs=2e6
        )
    # The prior: pairs the deterministic rules find, divided by the rules' recall.
    # Splink asks the user for that recall; here it is read off the trained model
    # (see _rules_recall) instead of guessed, since on records where two entries
    # of one person agree on given name, family name and birth year only
    # sometimes, a fixed guess such as 0.8 would set the prior many times too low.
    completeness = {
        c: con.execute(f"SELECT avg(({c} IS NOT NULL)::INTEGER) FROM records").fetchall()[0][0]
        for c in present
    }
    cfg["deterministic_recall"] = _rules_recall(
        linker._settings_obj.comparisons, cfg["deterministic_rules"], completeness
    )
    linker.training.estimate_probability_two_random_records_match(
        [rule(r) for r in cfg["deterministic_rules"]], recall=cfg["deterministic_recall"]
    )
    if model_json is not None:
        linker.misc.save_model_to_json(str(model_json), overwrite=True)
    predictions = linker.inference.predict(threshold_match_probability=min(threshold, 0.01))
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    rows = clustered.as_duckdbpyrelation().select("unique_id, cluster_id").fetchall()
    seconds = time.perf_counter() - started
    write_clusters({str(u): str(c) for u, c in rows}, clusters_csv)
    if edges_csv is not None:
        # Untimed: the scored pairs, so the parent can find the threshold that
        # would have been best against the truth (an oracle choice).
        rel = predictions.as_duckdbpyrelation()
        rel = rel.select("unique_id_l, unique_id_r, match_probability, match_weight")
        rel.write_csv(str(edges_csv))
    cfg["prediction_rules"] = [
        r if isinstance(r, str) else "+".join(r) for r in cfg["prediction_rules"]
    ]
    cfg["deterministic_rules"] = ["+".join(r) for r in cfg["deterministic_rules"]]
    cfg["em_rules"] = ["+".join(r) for r in cfg["em_rules"]]
    prior = getattr(linker._settings_obj, "_probability_two_random_records_match", None)
    return {
        "seconds": seconds,
        "records": n,
        "threshold": threshold,
        "splink_config": cfg,
        "prior": prior,
    }


def setu_latency(
    input_csv: Path, truth_csv: Path, *, queries: int, limit: int = 10, seed: int = 1
) -> dict[str, Any]:
    """Single-record candidate search against an index of the other records.

    Queries are records held out of the index; ``hit_rate`` is the share of
    those (whose person has other records in the index) with a true match
    among the returned candidates.
    """
    from setu.linkage import MatchIndex, read_records

    records = read_records(input_csv)
    truth = read_truth(truth_csv)
    rng = random.Random(seed)
    held = set(rng.sample(range(len(records)), min(queries, len(records))))
    indexed = [r for i, r in enumerate(records) if i not in held]
    probes = [records[i] for i in sorted(held)]
    started = time.perf_counter()
    index = MatchIndex(indexed)
    build_seconds = time.perf_counter() - started
    in_index: dict[str, int] = {}
    for r in indexed:
        pid = truth[r.record_id]
        in_index[pid] = in_index.get(pid, 0) + 1
    latencies: list[float] = []
    hits = answerable = 0
    for probe in probes:
        t0 = time.perf_counter()
        found = index.candidates(probe, limit=limit)
        latencies.append((time.perf_counter() - t0) * 1000)
        pid = truth[probe.record_id]
        if in_index.get(pid):
            answerable += 1
            hits += any(truth.get(c.record_id) == pid for c in found)
    latencies.sort()
    return {
        "index_records": len(indexed),
        "queries": len(probes),
        "build_seconds": build_seconds,
        "p50_ms": statistics.median(latencies),
        # Nearest-rank percentile.
        "p95_ms": latencies[max(0, math.ceil(0.95 * len(latencies)) - 1)],
        "hit_rate": hits / answerable if answerable else None,
    }
