"""Background tasks of the channels context: flow starts, off the request."""

from __future__ import annotations

from django.tasks import task


@task
def start_flow(flow: str, sealed: str) -> None:
    """Start a flow in the flow engine for the sealed number (see ``services.flow_start``)."""
    from setu.channels import services

    services.flow_start_run(flow=flow, sealed=sealed)
