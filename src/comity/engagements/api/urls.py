from django.urls import path
from rest_framework.routers import SimpleRouter

from comity.engagements.api import views

router = SimpleRouter()
router.register("objectives", views.ObjectiveViewSet, basename="objective")
router.register("engagements", views.EngagementViewSet, basename="engagement")
router.register("exercises", views.ExerciseViewSet, basename="exercise")
router.register("menu", views.MenuItemViewSet, basename="menuitem")
router.register("programmes", views.PartnerProgrammeViewSet, basename="programme")
router.register("activities", views.ProgrammeActivityViewSet, basename="activity")

app_name = "engagements-api"
urlpatterns = [path("network/", views.NetworkView.as_view(), name="network"), *router.urls]
