"""``setu channels …``: try every phone path without a gateway, and forget old deliveries.

``sms``, ``missed-call`` and ``flow-result`` go through the same services as the webhooks
(adapter "console"), so what a developer sees here is what a phone would get.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from setu.channels._phone import masked


class Command(BaseCommand):
    help = (
        "Phone channels. sms / missed-call / flow-result: deliver as a phone would (console "
        "adapter); start: start a flow; prune: forget deliveries older than "
        "SETU_CHANNELS_DEDUP_DAYS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sms = sub.add_parser("sms", help="An SMS from a number: setu channels sms --from N TEXT")
        sms.add_argument("--from", dest="sender", required=True, help="the sender's number")
        sms.add_argument("--id", default="", help="a delivery id (repeat it to see de-duplication)")
        sms.add_argument("text", help="the message, keyword first")
        call = sub.add_parser("missed-call", help="A missed call to a line.")
        call.add_argument("--from", dest="caller", required=True, help="the caller's number")
        where = call.add_mutually_exclusive_group(required=True)
        where.add_argument("--line", default="", help="the line's purpose (feedback, checkin)")
        where.add_argument("--to", dest="called", default="", help="the number dialled")
        call.add_argument("--id", default="", help="a delivery id")
        flow = sub.add_parser("flow-result", help="A flow run's results: key=value …")
        flow.add_argument("--flow", required=True, help="the flow's purpose (feedback, checkin)")
        flow.add_argument("--from", dest="sender", required=True, help="the contact's number")
        flow.add_argument("--run", default="", help="the run's id (default: a new one)")
        flow.add_argument("results", nargs="*", help="result=value pairs")
        start = sub.add_parser("start", help="Start a flow for a number (the configured starter).")
        start.add_argument("--flow", required=True, help="the flow's purpose (feedback_ivr)")
        start.add_argument("--to", dest="number", required=True, help="the number to call")
        start.add_argument("params", nargs="*", help="param=value pairs")
        prune = sub.add_parser("prune", help="Forget deliveries older than the de-dup window.")
        prune.add_argument("--days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        from django.db import transaction

        from setu.channels import services
        from setu.core.errors import InvalidInput

        command = options["subcommand"]
        try:
            if command == "sms":
                answer = services.sms_receive(
                    adapter="console", sender=options["sender"], text=options["text"],
                    message_id=options["id"],
                )  # fmt: skip
            elif command == "missed-call":
                answer = services.missed_call_receive(
                    adapter="console", caller=options["caller"], called=options["called"],
                    line=options["line"], call_id=options["id"],
                )  # fmt: skip
            elif command == "flow-result":
                answer = services.flow_result_receive(
                    adapter="console", sender=options["sender"], flow=options["flow"],
                    results=_pairs(options["results"]), run_id=options["run"] or str(uuid.uuid4()),
                )  # fmt: skip
            elif command == "start":
                with transaction.atomic():
                    services.flow_start(
                        flow=options["flow"], number=options["number"],
                        params=_pairs(options["params"]),
                    )  # fmt: skip
                self.stdout.write(f"Queued {options['flow']} for {masked(options['number'])}.")
                return
            else:
                removed = services.deliveries_prune(days=options["days"])
                self.stdout.write(f"Forgot {removed} delivery(ies).")
                return
        except InvalidInput as exc:
            raise CommandError(str(exc)) from None
        repeat = " (a repeat: answered as before, not handled again)" if answer.duplicate else ""
        self.stdout.write(f"status: {answer.status}{repeat}")
        if answer.reply:
            self.stdout.write(f"reply: {answer.reply}")


def _pairs(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise CommandError(f"{item!r} is not key=value")
        out[key] = value
    return out
