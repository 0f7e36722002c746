from django.apps import AppConfig


class AccessConfig(AppConfig):
    """Who may see and do what: the one access policy of Setu."""

    name = "setu.access"
    label = "access"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db.backends.signals import connection_created
        from django.tasks.signals import task_finished, task_started

        from setu.access import checks, rls  # noqa: F401  (deploy check)

        # Row-level security: each connection tells PostgreSQL whom it acts for. Every request
        # starts and ends acting for no organisation; a task runs as system work and then
        # gives the thread back what it acted for (the immediate backend runs tasks in requests).
        connection_created.connect(rls.install, dispatch_uid="setu_rls_install")
        for signal in (request_started, request_finished):
            signal.connect(rls.unbind, dispatch_uid=f"setu_rls_unbind_{id(signal)}")
        task_started.connect(rls.task_begin, dispatch_uid="setu_rls_task_begin")
        task_finished.connect(rls.task_end, dispatch_uid="setu_rls_task_end")
