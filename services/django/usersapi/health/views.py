"""Unversioned operational endpoints: liveness touches nothing, readiness checks dependencies."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from usersapi.core.errors import ServiceUnavailable
from usersapi.core.openapi import ChecksSerializer, problems
from usersapi.core.problems import problem_response
from usersapi.core.views import ApiView
from usersapi.health.checks import broker_ok, database_ok


class HealthSerializer(serializers.Serializer[dict[str, str]]):
    status = serializers.ChoiceField(choices=["ok"])


class ReadinessSerializer(serializers.Serializer[dict[str, object]]):
    status = serializers.ChoiceField(choices=["ok"])
    checks = ChecksSerializer()


class PublicView(ApiView):
    authentication_classes = []
    permission_classes = []


class HealthView(PublicView):
    @extend_schema(
        operation_id="health",
        tags=["health"],
        auth=[],
        summary="Liveness; touches nothing.",
        responses={200: HealthSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})


class ReadyView(PublicView):
    @extend_schema(
        operation_id="ready",
        tags=["health"],
        auth=[],
        summary="Readiness; checks the database and the broker.",
        responses={200: ReadinessSerializer, **problems(503)},
    )
    def get(self, request: Request) -> Response:
        checks = {
            "database": "ok" if database_ok() else "error",
            "broker": "ok" if broker_ok() else "error",
        }
        if "error" in checks.values():
            return problem_response(ServiceUnavailable(), request._request, {"checks": checks})  # type: ignore[return-value]
        return Response({"status": "ok", "checks": checks})
