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
* ``setu.user_id``, the acting user, travels with it: a notice is read and written by its
  recipient only (``access 0008``).
* ``setu.scope`` travels the same way. It is ``system`` only inside ``system_scope()`` (the
  named system reads, ``access.policy.system_read``) and while a task runs (``task_begin`` /
  ``task_end``): the policies then admit every organisation's rows, as they do for the worker's
  role ``setu_system``. A request's own queries never carry it.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

SETTING = "setu.org_id"
USER_SETTING = "setu.user_id"
SCOPE_SETTING = "setu.scope"
SYSTEM = "system"
_bound: contextvars.ContextVar[str] = contextvars.ContextVar("setu_rls_org", default="")
# The acting user: a notice is its recipient's only (``access 0008``), whatever organisation.
_user: contextvars.ContextVar[str] = contextvars.ContextVar("setu_rls_user", default="")
_scope: contextvars.ContextVar[str] = contextvars.ContextVar("setu_rls_scope", default="")
# What the thread acted for before each running task: the immediate backend runs a task inside
# the request that enqueued it, and that request must act for its organisation again after.
_before_tasks: contextvars.ContextVar[tuple[tuple[str, str, str], ...]] = contextvars.ContextVar(
    "setu_rls_before_tasks", default=()
)
_STATE = "_setu_rls_state"  # on the connection wrapper: what the session holds, if known


def bind(organisation_id: uuid.UUID | str | None, user_id: uuid.UUID | str | None = None) -> None:
    """Act for this organisation (None: for none), as this user, on this thread until
    ``unbind``."""
    _bound.set(str(organisation_id) if organisation_id else "")
    _user.set(str(user_id) if user_id else "")


def unbind(**_: Any) -> None:
    """Act for no organisation and out of any system scope; the policies then show rows only
    to the system role (``request_started``/``request_finished`` receiver)."""
    _bound.set("")
    _user.set("")
    _scope.set("")
    _before_tasks.set(())


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


@contextmanager
def system_scope() -> Iterator[None]:
    """Act for no organisation and read every organisation's rows inside this block. Only for
    the named system reads (``access.policy.system_read``); a test lists where it is used
    (``access/tests/test_system_reads.py``)."""
    org, scope = _bound.set(""), _scope.set(SYSTEM)
    try:
        yield
    finally:
        _scope.reset(scope)
        _bound.reset(org)


def task_begin(**_: Any) -> None:
    """``task_started`` receiver: a task is system work. It acts for no organisation and reads
    across all of them, as the worker's role ``setu_system`` does; a task that works for one
    organisation says so with ``acting_for``, which the policies then hold it to."""
    _before_tasks.set((*_before_tasks.get(), (_bound.get(), _user.get(), _scope.get())))
    _bound.set("")
    _user.set("")
    _scope.set(SYSTEM)


def task_end(**_: Any) -> None:
    """``task_finished`` receiver: back to what the thread acted for before the task."""
    saved = _before_tasks.get()
    organisation, user, scope = saved[-1] if saved else ("", "", "")
    _before_tasks.set(saved[:-1])
    _bound.set(organisation)
    _user.set(user)
    _scope.set(scope)


def _wanted() -> str:
    """What the session must hold, as one comparable value: organisation, user and scope."""
    return f"{_bound.get()}|{_user.get()}|{_scope.get()}"


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
    want = _wanted()
    if not _session_holds(connection, want):
        with connection.wrap_database_errors, connection.connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config(%s, %s, false), set_config(%s, %s, false),"
                " set_config(%s, %s, false)",
                [SETTING, _bound.get(), USER_SETTING, _user.get(), SCOPE_SETTING, _scope.get()],
            )
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
    # A new session holds no organisation and no scope, which the policies read as none.
    setattr(connection, _STATE, "||")
    if _set_org not in connection.execute_wrappers:
        # First, so that ``connection.execute_wrapper()`` blocks, which pop the last one, keep
        # theirs when the connection is opened inside them.
        connection.execute_wrappers.insert(0, _set_org)
