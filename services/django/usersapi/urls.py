"""Routes: two URL namespaces (v1, v2) over one service layer, plus health and the docs."""

from __future__ import annotations

from django.urls import include, path

from usersapi.auth.views import TokenV1View, TokenV2View
from usersapi.core.docs import OpenApiView, SwaggerView
from usersapi.health.views import HealthView, ReadyView
from usersapi.users import views_v1, views_v2

v1 = (
    [
        path("auth/token", TokenV1View.as_view(), name="token"),
        path("users", views_v1.UsersV1View.as_view(), name="users"),
        path("users/me", views_v1.UserMeV1View.as_view(), name="me"),
        path("users/<str:id>", views_v1.UserV1View.as_view(), name="user"),
    ],
    "v1",
)
v2 = (
    [
        path("auth/token", TokenV2View.as_view(), name="token"),
        path("users", views_v2.UsersV2View.as_view(), name="users"),
        path("users/me", views_v2.UserMeV2View.as_view(), name="me"),
        path("users/<str:id>", views_v2.UserV2View.as_view(), name="user"),
    ],
    "v2",
)

urlpatterns = [
    path("health", HealthView.as_view(), name="health"),
    path("ready", ReadyView.as_view(), name="ready"),
    path("openapi.json", OpenApiView.as_view(), name="openapi"),
    path("docs", SwaggerView.as_view(url_name="openapi"), name="docs"),
    path("api/v1/", include(v1)),
    path("api/v2/", include(v2)),
]

handler400 = "usersapi.core.problems.bad_request"
handler404 = "usersapi.core.problems.not_found"
handler500 = "usersapi.core.problems.server_error"
