from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """Survivor voice: feedback on services, officials and schemes, and the complaints lane."""

    name = "setu.feedback"
    label = "feedback"

    def ready(self) -> None:
        from setu.channels import hooks
        from setu.feedback import phone

        hooks.register_keyword(phone.KEYWORD, phone.on_sms)
        hooks.register_missed_call(phone.LINE, phone.on_missed_call)
        hooks.register_flow(phone.FLOW, phone.on_flow)
        # The voice call-back's answers come back from its own flow.
        hooks.register_flow(phone.IVR_FLOW, phone.on_flow)
