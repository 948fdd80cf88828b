from django.urls import path
from rest_framework.routers import SimpleRouter

from comity.registry.api import views

router = SimpleRouter()
router.register("states", views.StateViewSet)
router.register("organisations", views.OrganisationViewSet)
router.register("frameworks", views.FrameworkViewSet)
router.register("memberships", views.MembershipViewSet)
router.register("participations", views.ParticipationViewSet)
router.register("notes", views.CountryNoteViewSet, basename="countrynote")

app_name = "registry-api"
urlpatterns = [path("alliance/", views.AllianceView.as_view(), name="alliance"), *router.urls]
