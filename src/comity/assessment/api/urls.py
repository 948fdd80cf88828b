from django.urls import path
from rest_framework.routers import SimpleRouter

from comity.assessment.api import objectives, views

router = SimpleRouter()
router.register("measurements", objectives.MeasurementViewSet, basename="measurement")

app_name = "assessment-api"
urlpatterns = [
    path("burden/", views.BurdenView.as_view(), name="burden"),
    path("objectives/<slug:code>/progress/", objectives.ObjectiveProgressView.as_view(), name="objective-progress"),
    *router.urls,
]
