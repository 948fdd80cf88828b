"""The site's URL map: pages per app, the API under /api/, its schema and docs, the admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from comity.core.api.views import DeskView

urlpatterns = [
    path("", include("comity.core.urls")),
    path("registry/", include("comity.registry.urls")),
    path("engagements/", include("comity.engagements.urls")),
    path("planning/", include("comity.planning.urls")),
    path("events/", include("comity.events.urls")),
    path("assessment/", include("comity.assessment.urls")),
    path("comms/", include("comity.comms.urls")),
    path("admin/", admin.site.urls),
    path("api/core/", include("comity.core.api.urls")),
    path("api/desk/", DeskView.as_view(), name="api-desk"),
    path("api/registry/", include("comity.registry.api.urls")),
    path("api/engagements/", include("comity.engagements.api.urls")),
    path("api/events/", include("comity.events.api.urls")),
    path("api/planning/", include("comity.planning.api.urls")),
    path("api/assessment/", include("comity.assessment.api.urls")),
    path("api/comms/", include("comity.comms.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
