"""User, team, workspace and organization shapes in each source's wire format."""

from rest_framework import serializers

from accounts.models import Organization, User
from config.api.fields import MocoTimestampField


class MocoUserSerializer(serializers.ModelSerializer):
    """MOCO's user: id, firstname, lastname, active, extern, email, timestamps."""

    firstname = serializers.CharField(source="first_name")
    lastname = serializers.CharField(source="last_name")
    active = serializers.BooleanField(source="is_active")
    # Timebridge has no external staff flag; every user is internal.
    extern = serializers.SerializerMethodField()
    created_at = MocoTimestampField()
    updated_at = MocoTimestampField()

    class Meta:
        model = User
        fields = [
            "id",
            "firstname",
            "lastname",
            "active",
            "extern",
            "email",
            "created_at",
            "updated_at",
        ]

    def get_extern(self, user: User) -> bool:
        return False


class McTimeUserSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid")
    firstName = serializers.CharField(source="first_name")
    lastName = serializers.CharField(source="last_name")
    active = serializers.BooleanField(source="is_active")

    class Meta:
        model = User
        fields = ["id", "firstName", "lastName", "email", "username", "active"]


class McTimeOrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name"]
