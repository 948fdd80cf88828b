from django.urls import path
from rest_framework.routers import SimpleRouter

from comity.core.api import views

router = SimpleRouter()
router.register("labels", views.LabelViewSet, basename="label")
router.register("audit", views.AuditEntryViewSet, basename="auditentry")

app_name = "core-api"
urlpatterns = [path("me/", views.MeView.as_view(), name="me"), *router.urls]
