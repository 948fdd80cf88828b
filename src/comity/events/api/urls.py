from django.urls import path

from comity.events.api import views

app_name = "events-api"
urlpatterns = [
    path("series/", views.SeriesView.as_view(), name="series"),
    path("events/", views.EventsView.as_view(), name="events"),
    path("alerts/", views.AlertsView.as_view(), name="alerts"),
    path("tension/", views.TensionView.as_view(), name="tension"),
]
