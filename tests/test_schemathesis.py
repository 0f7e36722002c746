"""Promise 9 of issue 28: Schemathesis against the OpenAPI schema, bounded to a few minutes.

Every operation of ``/api/v1/`` gets property-based requests generated from the schema (valid and
invalid parameters and bodies) from a signed-in organisation admin's bearer token: no 5xx, no
status, content type or body outside the schema. Then every operation is asked once without a
token: it must refuse (401/403), never answer an anonymous caller.

Bounded by ``SETU_SCHEMATHESIS_EXAMPLES`` examples per operation (default 12; the outside test ran
about 10,000 cases: ``SETU_SCHEMATHESIS_EXAMPLES=100`` comes close). It runs once, on SQLite: the
``schemathesis`` marker is excluded from the PostgreSQL run of ``scripts/test``.
"""

from __future__ import annotations

import os
import re
import time

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db(transaction=False)]

EXAMPLES = int(os.environ.get("SETU_SCHEMATHESIS_EXAMPLES", "12"))
ANY_UUID = "00000000-0000-4000-8000-000000000000"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _token_for(user) -> str:
    from setu.accounts.models import ApiToken

    secret = ApiToken.new_secret()
    ApiToken.objects.create(
        user=user, name="schemathesis", digest=ApiToken.digest_of(secret), prefix=secret[5:13]
    )
    return secret


def _summary(exc: BaseException) -> str:
    """The names of the failed checks and the first line of each (Schemathesis groups them)."""
    parts = getattr(exc, "exceptions", None) or [exc]
    lines = []
    for part in parts:
        text = str(part).strip().splitlines()
        lines.append(f"{type(part).__name__}: {' '.join(text[:3])[:240]}")
    return " | ".join(lines)


@pytest.fixture
def api(personas):
    """The schema served by the app itself, and an org admin's bearer token."""
    app = get_wsgi_application()
    auth = {"Authorization": f"Bearer {_token_for(personas.users['org_admin'])}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, headers=auth)
    operations = [result.ok() for result in schema.get_all_operations()]
    return app, auth, operations


def test_no_operation_answers_an_anonymous_caller(api):
    app, _auth, operations = api
    assert len(operations) > 20
    answered = []
    for operation in operations:
        # Path parameters still need a value for the URL to resolve; any UUID will do.
        names = re.findall(r"{(\w+)}", operation.path)
        case = operation.Case(path_parameters=dict.fromkeys(names, ANY_UUID))
        response = case.call(app=app)
        if response.status_code not in (401, 403):
            answered.append((operation.label, response.status_code))
    assert answered == []


# The operations are dealt into shards so that pytest-xdist spreads the run over its workers
# instead of leaving one worker busy with all of it while the rest of the suite waits.
SHARDS = 6


@pytest.mark.parametrize("shard", range(SHARDS))
def test_schemathesis_finds_no_server_error_and_nothing_outside_the_schema(api, shard):
    app, auth, operations = api
    failures: list[str] = []
    started = time.monotonic()
    mine = operations[shard::SHARDS]
    assert mine, f"shard {shard} of {SHARDS} has no operations"
    for operation in mine:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:
            case.call_and_validate(app=app, headers=auth, checks=CHECKS)

        try:
            run()
        except (
            Exception,
            BaseExceptionGroup,
        ) as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {_summary(exc)}")
    elapsed = time.monotonic() - started
    print(
        f"schemathesis shard {shard}: {len(mine)} operations x {EXAMPLES} examples in {elapsed:.0f} s"
    )
    assert failures == [], "\n".join(failures)
