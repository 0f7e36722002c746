"""API shapes of the feedback context. Nothing here names who gave feedback (nobody knows);
the free text is only in the detail shape, which only those who may read it one by one reach."""

from __future__ import annotations

from rest_framework import serializers

from setu.feedback.models import ChangeNote, Feedback, Subject, Theme


class SubjectOut(serializers.ModelSerializer):
    district = serializers.CharField(source="district.name", default=None, read_only=True)
    organisation = serializers.CharField(source="organisation.name", default=None, read_only=True)

    class Meta:
        model = Subject
        fields = ["id", "kind", "name", "district", "organisation"]


FEEDBACK_FIELDS = [
    "id",
    "subject",
    "kind",
    "district",
    "campaign",
    "channel",
    "assisted",
    "language",
    "given_on",
    "treated",
    "entitled",
    "felt_safe",
    "lane",
    "serious_kind",
    "themes",
    "status",
    "acknowledged_at",
    "responded_at",
    "satisfied",
]


class FeedbackOut(serializers.ModelSerializer):
    """One piece of feedback in a list: the answers, without her words."""

    subject = SubjectOut(read_only=True)
    district = serializers.CharField(source="district.name", default=None, read_only=True)
    campaign = serializers.CharField(source="campaign.name", default=None, read_only=True)
    themes = serializers.ListField(child=serializers.ChoiceField(choices=Theme.choices))

    class Meta:
        model = Feedback
        fields = FEEDBACK_FIELDS


class FeedbackDetailOut(FeedbackOut):
    """One piece of feedback with what she wrote and the answer written to her (reading it is
    audited)."""

    class Meta:
        model = Feedback
        fields = [*FEEDBACK_FIELDS, "comment", "response_note"]


class ThemesIn(serializers.Serializer):
    themes = serializers.ListField(
        child=serializers.ChoiceField(choices=Theme.choices), allow_empty=True, max_length=20
    )


class RespondIn(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class ChangeNoteOut(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ChangeNote
        fields = ["id", "organisation", "theme", "you_said", "we_did", "published_on"]


class ChangeNoteIn(serializers.Serializer):
    theme = serializers.ChoiceField(choices=Theme.choices, required=False, allow_blank=True)
    you_said = serializers.CharField(max_length=300)
    we_did = serializers.CharField(max_length=300)
    published_on = serializers.DateField(required=False)


# --- Reports: every figure is null where its count is under 11 ------------------------------


class ThemeCountOut(serializers.Serializer):
    theme = serializers.CharField()
    count = serializers.IntegerField(allow_null=True)


class ReportRowOut(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField(allow_null=True)
    rating = serializers.FloatField(allow_null=True, help_text="mean of 1-5")
    entitled_yes = serializers.IntegerField(allow_null=True, help_text="per cent")
    safe_yes = serializers.IntegerField(allow_null=True, help_text="per cent")
    by_quarter = serializers.ListField(child=serializers.FloatField(allow_null=True))
    themes = ThemeCountOut(many=True)


class MonthCountOut(serializers.Serializer):
    month = serializers.CharField(help_text="MM-YYYY")
    count = serializers.IntegerField(allow_null=True)


class TimingOut(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField(allow_null=True)
    median_hours_to_acknowledge = serializers.FloatField(allow_null=True)
    median_days_to_respond = serializers.FloatField(allow_null=True)


class SchemePerceptionOut(serializers.Serializer):
    scheme = serializers.CharField()
    answers = serializers.IntegerField(allow_null=True)
    entitled_yes = serializers.IntegerField(allow_null=True)
    entitled_partly = serializers.IntegerField(allow_null=True)
    entitled_no = serializers.IntegerField(allow_null=True)
    applications = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), allow_null=True
    )


class ReportOut(serializers.Serializer):
    dimension = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    small_cell = serializers.IntegerField(help_text="counts under this are null")
    total = serializers.IntegerField(allow_null=True)
    quarters = serializers.ListField(child=serializers.CharField())
    rows = ReportRowOut(many=True)
    per_month = MonthCountOut(many=True)
    response_times_by_organisation = TimingOut(many=True)
    response_times_by_district = TimingOut(many=True)
    schemes = SchemePerceptionOut(many=True)
