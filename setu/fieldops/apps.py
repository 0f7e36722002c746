from django.apps import AppConfig


class FieldopsConfig(AppConfig):
    """Field operations: rescue plans, SOP checklists, and the safety check-ins of the team."""

    name = "setu.fieldops"
    label = "fieldops"

    def ready(self) -> None:
        # Feature phones check in by SMS keyword, a missed call or a voice call-back; the
        # channels app hands them here without importing us. The registry's case timeline
        # shows an operation's steps.
        from setu.channels import hooks as channels
        from setu.fieldops import phone, selectors
        from setu.registry import hooks as registry

        channels.register_keyword("CHECKIN", phone.on_checkin_sms)
        channels.register_keyword("SAFE", phone.on_safe_sms)
        channels.register_keyword("HELP", phone.on_help_sms)
        channels.register_missed_call("checkin", phone.on_missed_call)
        channels.register_missed_call(phone.CALLBACK_LINE, phone.on_callback_call)
        channels.register_flow(phone.IVR_FLOW, phone.on_ivr_result)
        registry.provide_case_timeline_items(selectors.case_timeline_items)
