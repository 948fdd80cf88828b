from django.urls import path
from rest_framework.routers import SimpleRouter

from comity.comms.api import views

router = SimpleRouter()
router.register("conversations", views.ConversationViewSet, basename="conversation")
router.register("messages", views.MessageViewSet, basename="message")

app_name = "comms-api"
urlpatterns = [path("notifications/", views.NotificationsView.as_view(), name="notifications"), *router.urls]
