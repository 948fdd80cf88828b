from django.urls import path

from comity.planning.api import views

app_name = "planning-api"
urlpatterns = [
    path("rotations/", views.RotationPlanView.as_view(), name="rotations"),
    path("calendar/", views.CalendarPlanView.as_view(), name="calendar"),
]
