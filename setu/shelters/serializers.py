"""API shapes of shelter capacity and bed holds; a shelter's address is never included."""

from __future__ import annotations

from rest_framework import serializers

from setu.shelters.models import BedGroup, BedHold


class BedGroupOut(serializers.ModelSerializer):
    """A group of beds with its live free count (expired holds count as free)."""

    shelter_name = serializers.CharField(source="shelter.name")
    district = serializers.IntegerField(source="shelter.base_district_id", allow_null=True)
    free = serializers.IntegerField(source="free_now")
    held = serializers.IntegerField(source="held_now")
    is_stale = serializers.BooleanField()
    counts_confirmed_by = serializers.CharField(source="counts_confirmed_by.username", default="")

    class Meta:
        model = BedGroup
        fields = [
            "id",
            "shelter",
            "shelter_name",
            "district",
            "kind",
            "label",
            "total",
            "free",
            "held",
            "occupied",
            "out_of_service",
            "languages",
            "disability_access",
            "counts_confirmed_at",
            "counts_confirmed_by",
            "is_stale",
        ]


class AdjustIn(serializers.Serializer):
    """One +/- tap on a counter."""

    counter = serializers.ChoiceField(choices=["total", "occupied", "out_of_service"])
    delta = serializers.ChoiceField(choices=[1, -1])


class HoldIn(serializers.Serializer):
    """Hold a bed in ``bed_group`` for ``referral``."""

    referral = serializers.UUIDField()
    bed_group = serializers.UUIDField()
    confirm_misfit = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Hold a bed whose kind does not fit the person as recorded (a girls' bed for "
            "someone recorded as 19, say). Without it such a hold is refused with 400 and an "
            "error on this field saying why."
        ),
    )


class HoldOut(serializers.ModelSerializer):
    """A bed hold: where, for which referral, by whom, until when, and how it ended."""

    shelter = serializers.UUIDField(source="bed_group.shelter_id")
    held_by = serializers.CharField(source="held_by.username", default="")

    class Meta:
        model = BedHold
        fields = [
            "id",
            "bed_group",
            "shelter",
            "referral",
            "holder_org",
            "held_by",
            "status",
            "expires_at",
            "ended_at",
            "release_reason",
            "replaces",
        ]
