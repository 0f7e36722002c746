import pytest

from setu.consent.models import ConsentScope
from setu.core.errors import Forbidden
from setu.insights import selectors
from setu.registry.tests.factories import CaseFactory, CasePersonFactory, ConsentFactory


def _survivor_cases(org, n, *, statistics_consent):
    for _ in range(n):
        link = CasePersonFactory(case=CaseFactory(owner_org=org))
        scopes = [ConsentScope.STATISTICS] if statistics_consent else [ConsentScope.IDENTITY]
        ConsentFactory(person=link.person, scopes=scopes)


def test_caseworkers_get_no_aggregates(personas):
    with pytest.raises(Forbidden):
        selectors.network_overview(actor=personas["lead"])


def test_other_orgs_cases_count_only_with_statistics_consent(personas):
    _survivor_cases(personas.other_org, 6, statistics_consent=True)
    _survivor_cases(personas.other_org, 7, statistics_consent=False)
    # The analyst's own organisation has one case (the personas case).
    counted = selectors.counted_cases(actor=personas["analyst"])
    assert counted.count() == 1 + 6


def test_small_counts_are_suppressed(personas):
    overview = selectors.network_overview(actor=personas["analyst"])
    assert overview.cases_counted is None  # one case: fewer than five
    _survivor_cases(personas.own_org, 5, statistics_consent=False)
    overview = selectors.network_overview(actor=personas["analyst"])
    assert overview.cases_counted == 6
    statuses = next(t for t in overview.tables if t.cells and "status" in t.title)
    assert statuses.cells[0].count == 6


def test_withdrawn_statistics_consent_is_not_counted(personas):
    import datetime

    _survivor_cases(personas.other_org, 5, statistics_consent=True)
    from setu.consent.models import Consent

    Consent.objects.filter(person__owner_org=personas.other_org).update(
        withdrawn_on=datetime.date.today()
    )
    assert selectors.counted_cases(actor=personas["analyst"]).count() == 1


# --- secondary suppression ---------------------------------------------------------------------


def _recoverable(values: dict[str, int | None], sums: list[tuple[list[str], int | None]]) -> set:
    """Hidden keys an attacker can work out exactly from shown values and known linear relations.

    A relation is (keys, constant): the signed keys ("-k" subtracts) add up to a known number.
    Shown values are constants too. Gaussian elimination over the hidden unknowns: a hidden key
    is recoverable when a reduced row holds it alone.
    """
    from fractions import Fraction

    hidden = sorted(k for k, v in values.items() if v is None)
    index = {k: i for i, k in enumerate(hidden)}
    rows = []
    for keys, _total in sums:
        row = [Fraction(0)] * len(hidden)
        for key in keys:
            sign, name = (-1, key[1:]) if key.startswith("-") else (1, key)
            if name in index:
                row[index[name]] += sign
        if any(row):
            rows.append(row)
    # Reduced row echelon form.
    pivots, r = [], 0
    for c in range(len(hidden)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [x / rows[r][c] for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                rows[i] = [a - rows[i][c] * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(c)
        r += 1
    return {hidden[c] for i, c in enumerate(pivots) if sum(1 for x in rows[i] if x != 0) == 1}


def test_secondary_suppression_on_the_outside_testers_figures():
    # Gender totals 2,325 while age rows showed 1,243 + 1,079: the hidden cell was 3.
    counts = {"g:f": 1300, "g:m": 1025, "a:child": 1243, "a:adult": 1079, "a:unknown": 3}
    sums = [
        ["g:f", "g:m"],
        ["a:child", "a:adult", "a:unknown"],
        ["g:f", "g:m", "a:child", "a:adult", "a:unknown"],  # the same survivors twice
    ]
    hidden = selectors.suppress(counts, sums)
    assert "a:unknown" in hidden and len(hidden & {"a:child", "a:adult", "a:unknown"}) >= 2
    values = {k: (None if k in hidden else v) for k, v in counts.items()}
    relation = (["g:f", "g:m", "-a:child", "-a:adult", "-a:unknown"], 0)
    assert not _recoverable(values, [relation])


def test_cells_hidden_for_another_reason_are_protected_by_the_sums_too():
    # 40 hearings of one case: not small, hidden all the same; the row total would give it back.
    counts = {"witness": 40, "escort": 25, "records": 30}
    hidden = selectors.suppress(counts, [list(counts)], threshold=11, also={"witness"})
    assert "witness" in hidden and len(hidden) == 2
    assert selectors.suppress(counts, [list(counts)], threshold=11) == set()
    values = {k: (None if k in hidden else v) for k, v in counts.items()}
    assert not _recoverable(values, [(["witness", "escort", "records"], sum(counts.values()))])


def _overview_values(overview) -> dict[str, int | None]:
    values = {"total": overview.cases_counted, "open": overview.open_cases}
    for table in overview.tables:
        for cell in table.cells:
            values[f"{table.title}:{cell.label}"] = cell.count
    return values


def test_no_suppressed_cell_can_be_recovered_by_subtraction(personas):
    from setu.registry.models import CaseRole, CaseStatus, Gender

    org = personas.own_org
    for gender, age, n in [
        (Gender.FEMININE, 30, 9),
        (Gender.FEMININE, 12, 6),
        (Gender.MASCULINE, 15, 2),
    ]:
        for _ in range(n):
            CasePersonFactory(
                case=CaseFactory(owner_org=org, status=CaseStatus.ACTIVE),
                person__gender=gender,
                role=CaseRole.VICTIM,
                age_when_trafficked=age,
            )
    CasePersonFactory(case=CaseFactory(owner_org=org, status=CaseStatus.CLOSED))
    overview = selectors.network_overview(actor=personas["analyst"])
    values = _overview_values(overview)
    assert any(v is None for v in values.values())  # the data has small cells to protect
    by_title = {t.title: [f"{t.title}:{c.label}" for c in t.cells] for t in overview.tables}
    status = by_title["Cases by status"]
    gender, age = by_title["Survivors by gender"], by_title["Survivors by age when trafficked"]
    relations = [
        ([*status, "-total"], 0),
        ([*by_title["Cases opened by year"], "-total"], 0),
        ([*gender, *(f"-{k}" for k in age)], 0),
        ([k for k in status if k.endswith(("Active", "Follow-up"))] + ["-open"], 0),
    ]
    assert not _recoverable(values, relations)
