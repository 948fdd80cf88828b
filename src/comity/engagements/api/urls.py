from django.urls import path
from rest_framework.routers import SimpleRouter

from comity.engagements.api import objectives, views
from comity.engagements.api.kinds import ROUTES, kind_viewset
from comity.engagements.api.reports import AfterActionReportViewSet

router = SimpleRouter()
router.register("objectives", objectives.ObjectiveViewSet, basename="objective")
router.register("indicators", objectives.IndicatorViewSet, basename="indicator")
router.register("engagements", views.EngagementViewSet, basename="engagement")
router.register("menu", views.MenuItemViewSet, basename="menuitem")
router.register("programmes", views.PartnerProgrammeViewSet, basename="programme")
router.register("activities", views.ProgrammeActivityViewSet, basename="activity")
router.register("reports", AfterActionReportViewSet, basename="report")
for prefix, kind in ROUTES.items():
    router.register(prefix, kind_viewset(kind, prefix), basename=kind)

app_name = "engagements-api"
urlpatterns = [
    path("network/", views.NetworkView.as_view(), name="network"),
    path("attache-network/", views.AttacheNetworkView.as_view(), name="attache-network"),
    *router.urls,
]
