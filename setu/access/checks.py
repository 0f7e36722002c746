"""Deploy check: the web servers' database role must be one that row-level security limits."""

from __future__ import annotations

from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

from setu.access.roles import rls_role_problems


@register(Tags.security, deploy=True)
def rls_applies(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Warn when row-level security would not limit the app's database role."""
    warnings = []
    for alias in kwargs.get("databases") or ["default"]:
        try:
            problems = rls_role_problems(alias)
        except DatabaseError:
            continue  # an unreachable database is setu.E001's to report
        if problems:
            warnings.append(
                Warning(
                    "Row-level security does not limit the app's database role: "
                    + "; ".join(problems)
                    + ".",
                    hint="Connect the web servers as setu_app, a role that owns nothing "
                    "(setu db roles; docs/deployment.md, step 2 and §11).",
                    id="setu.access.W001",
                )
            )
    return warnings
