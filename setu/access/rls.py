"""The acting organisation, told to PostgreSQL for row-level security (issue 28, promise 1).

The policies in ``access/migrations/0001_row_level_security.py`` read
``current_setting('setu.org_id', true)``. This module keeps that setting equal to the acting
organisation of the request or task on the current thread:

* ``bind(organisation_id)`` records it in a context variable (``access.actor.actor_of`` does
  this once the request's actor is known); ``unbind()`` clears it. Requests and task-worker
  jobs start and end unbound (``request_started``/``request_finished``, ``task_started``/
  ``task_finished``), so nothing carries over to the next request on a thread.
* An ``execute_wrapper`` installed on every PostgreSQL connection issues
  ``set_config('setu.org_id', …, false)`` before a query whenever the connection's value may
  differ from the bound one. The value is session-level rather than ``SET LOCAL`` because
  requests do not run in one transaction (``ATOMIC_REQUESTS`` is off); PostgreSQL undoes a
  session-level SET when the transaction that made it rolls back, so a value set inside a
  transaction is trusted only while an ``on_commit`` marker of that transaction is pending
  (Django drops those markers on exactly the rollbacks that undo the SET) or after it ran.
  A pooled connection therefore never answers for the previous request's organisation: the
  next request's first query re-sets the value (to empty, when no one is bound yet).
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

SETTING = "setu.org_id"
_bound: contextvars.ContextVar[str] = contextvars.ContextVar("setu_rls_org", default="")
_STATE = "_setu_rls_state"  # on the connection wrapper: what the session holds, if known


def bind(organisation_id: uuid.UUID | str | None) -> None:
    """Act for this organisation (None: for none) on this thread until ``unbind``."""
    _bound.set(str(organisation_id) if organisation_id else "")


def unbind(**_: Any) -> None:
    """Act for no organisation; the policies then show rows only to the system role."""
    _bound.set("")


def bound() -> str:
    """The organisation the current thread acts for ('' for none)."""
    return _bound.get()


@contextmanager
def acting_for(organisation_id: uuid.UUID | str | None) -> Iterator[None]:
    """Act for an organisation inside a block (a task working for one organisation)."""
    token = _bound.set(str(organisation_id) if organisation_id else "")
    try:
        yield
    finally:
        _bound.reset(token)


class _Marker:
    """An on_commit callback whose presence tells that the SET it stands for still holds."""

    def __init__(self, connection: BaseDatabaseWrapper, value: str) -> None:
        self.connection = connection
        self.value = value

    def __call__(self) -> None:
        state = getattr(self.connection, _STATE, None)
        if state is self:
            setattr(self.connection, _STATE, self.value)


def _session_holds(connection: BaseDatabaseWrapper, want: str) -> bool:
    state = getattr(connection, _STATE, None)
    if isinstance(state, str):
        return state == want
    if isinstance(state, _Marker) and connection.in_atomic_block:
        pending = any(entry[1] is state for entry in connection.run_on_commit)
        return pending and state.value == want
    return False


def _set_org(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """Before a query, make the session's organisation the bound one (when it may differ)."""
    connection = context["connection"]
    want = _bound.get()
    if not _session_holds(connection, want):
        with connection.wrap_database_errors, connection.connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, want])
        if connection.get_autocommit():
            setattr(connection, _STATE, want)  # committed at once: nothing can undo it
        elif connection.in_atomic_block:
            marker = _Marker(connection, want)
            setattr(connection, _STATE, marker)
            connection.on_commit(marker)
        else:
            setattr(connection, _STATE, None)  # a hand-managed transaction: set every time
    return execute(sql, params, many, context)


def install(sender: Any = None, connection: BaseDatabaseWrapper | None = None, **_: Any) -> None:
    """``connection_created`` receiver: put the wrapper on each new PostgreSQL connection."""
    if connection is None or connection.vendor != "postgresql":
        return
    # A new session holds no organisation, which the policies read as none.
    setattr(connection, _STATE, "")
    if _set_org not in connection.execute_wrappers:
        # First, so that ``connection.execute_wrapper()`` blocks, which pop the last one, keep
        # theirs when the connection is opened inside them.
        connection.execute_wrappers.insert(0, _set_org)
