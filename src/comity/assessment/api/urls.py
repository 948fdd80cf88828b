from django.urls import path
from rest_framework.routers import SimpleRouter

from comity.assessment.api import (
    cohesion_views,
    cooperation_views,
    interoperability_views,
    objectives,
    scorecard_views,
    views,
)

router = SimpleRouter()
router.register("measurements", objectives.MeasurementViewSet, basename="measurement")

app_name = "assessment-api"
urlpatterns = [
    path("burden/", views.BurdenView.as_view(), name="burden"),
    path("cohesion/", cohesion_views.CohesionView.as_view(), name="cohesion"),
    path("interoperability/", interoperability_views.InteroperabilityView.as_view(), name="interoperability"),
    path("scorecard/", scorecard_views.ScorecardView.as_view(), name="scorecard"),
    path("cooperation/", cooperation_views.CooperationView.as_view(), name="cooperation"),
    path("objectives/<slug:code>/progress/", objectives.ObjectiveProgressView.as_view(), name="objective-progress"),
    *router.urls,
]
