from django.urls import path
from rest_framework.routers import SimpleRouter

from comity.core.api import views
from comity.core.api.attachments import AttachmentViewSet

router = SimpleRouter()
router.register("labels", views.LabelViewSet, basename="label")
router.register("audit", views.AuditEntryViewSet, basename="auditentry")
router.register("attachments", AttachmentViewSet, basename="attachment")

app_name = "core-api"
urlpatterns = [path("me/", views.MeView.as_view(), name="me"), *router.urls]
