"""Unversioned operational endpoints: liveness touches nothing, readiness checks dependencies."""

from __future__ import annotations

import logging

from django.db import connection
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from usersapi.celery import app as celery_app
from usersapi.core.errors import ServiceUnavailable
from usersapi.core.openapi import ChecksSerializer, problems
from usersapi.core.problems import problem_response
from usersapi.core.views import ApiView

log = logging.getLogger(__name__)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        log.warning("readiness: database check failed", exc_info=True)
        return False


def broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=2)
        return True
    except Exception:
        log.warning("readiness: broker check failed", exc_info=True)
        return False


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
            return problem_response(ServiceUnavailable(checks), request._request)  # type: ignore[return-value]
        return Response({"status": "ok", "checks": checks})
