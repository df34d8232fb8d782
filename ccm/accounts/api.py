"""API for the signed-in user, organisations and members; the same policies as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccm.accounts import policies, selectors
from ccm.accounts.models import OrganisationKind, PlatformRole, Role
from ccm.core.pagination import paginate, paginated
from ccm.core.policies import get_for_user


class MeApi(APIView):
    """The signed-in user and their memberships."""

    permission_classes = [IsAuthenticated]

    @extend_schema_serializer(component_name="Me")
    class OutputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="MeMembership")
        class MembershipSerializer(serializers.Serializer):
            organisation = serializers.CharField(source="organisation.slug")
            organisation_name = serializers.CharField(source="organisation.name")
            role = serializers.ChoiceField(choices=Role.choices)

        email = serializers.EmailField()
        full_name = serializers.CharField()
        platform_role = serializers.ChoiceField(choices=PlatformRole.choices, allow_blank=True)
        memberships = serializers.SerializerMethodField()

        @extend_schema_field(MembershipSerializer(many=True))
        def get_memberships(self, user: Any) -> Any:
            active = user.memberships.filter(organisation__is_active=True).select_related("organisation")
            return MeApi.OutputSerializer.MembershipSerializer(active, many=True).data

    @extend_schema(operation_id="me_retrieve", responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(request.user).data)


class OrganisationListApi(APIView):
    """Organisations the caller belongs to (coordinators: all organisations)."""

    permission_classes = [IsAuthenticated]

    @extend_schema_serializer(component_name="Organisation")
    class OutputSerializer(serializers.Serializer):
        slug = serializers.CharField()
        name = serializers.CharField()
        kind = serializers.ChoiceField(choices=OrganisationKind.choices)
        state = serializers.CharField(source="state.iso3", allow_null=True, default=None)
        member_count = serializers.IntegerField()

    @extend_schema(operation_id="organisations_list", responses=paginated(OutputSerializer))
    def get(self, request: Request) -> Response:
        return paginate(request, self, selectors.organisations_for_user(user=request.user), self.OutputSerializer)


class OrganisationMemberListApi(APIView):
    """Members of one organisation: for its members and coordinators; 404 for everyone else."""

    permission_classes = [IsAuthenticated]

    @extend_schema_serializer(component_name="OrganisationMember")
    class OutputSerializer(serializers.Serializer):
        email = serializers.EmailField(source="user.email")
        full_name = serializers.CharField(source="user.full_name")
        role = serializers.ChoiceField(choices=Role.choices)
        since = serializers.DateTimeField(source="created_at")

    @extend_schema(operation_id="organisation_members_list", responses=paginated(OutputSerializer))
    def get(self, request: Request, slug: str) -> Response:
        organisation = get_for_user(
            policies.organisations, request.user, policies.organisations.members_visible_to(request.user), slug=slug
        )
        members = selectors.members_of(organisation=organisation, user=request.user)
        return paginate(request, self, members, self.OutputSerializer)
