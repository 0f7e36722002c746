"""Synthetic, labelled Indian person records for a trafficking-response network.

Plain Python (no Django) so the demo loader, tests and benchmarks can all use
it. Deterministic for a given seed::

    from setu.synth import generate_population, write_interchange_csv
    pop = generate_population(1000, seed=7)
    write_interchange_csv(pop.records, "records.csv")
"""

from .generator import (
    DEFAULT_RECORDS_PER_PERSON,
    EXTRA_COLUMNS,
    INTERCHANGE_COLUMNS,
    RECORD_COLUMNS,
    ROLES,
    VARIATION_CLASSES,
    Person,
    Population,
    expected_records_per_person,
    generate_population,
    iter_population,
    persons_for_records,
)
from .io import read_interchange_csv, read_truth_csv, write_interchange_csv, write_truth_csv
from .metrics import PairwiseScores, pairwise_scores

__all__ = [
    "DEFAULT_RECORDS_PER_PERSON",
    "EXTRA_COLUMNS",
    "INTERCHANGE_COLUMNS",
    "RECORD_COLUMNS",
    "ROLES",
    "VARIATION_CLASSES",
    "PairwiseScores",
    "Person",
    "Population",
    "expected_records_per_person",
    "generate_population",
    "iter_population",
    "pairwise_scores",
    "persons_for_records",
    "read_interchange_csv",
    "read_truth_csv",
    "write_interchange_csv",
    "write_truth_csv",
]
