from django.urls import path

from comity.events import views

app_name = "events"
urlpatterns = [
    path("", views.dyad, name="dyad"),
    path("alliance/", views.alliance, name="alliance"),
    path("tension/", views.tension, name="tension"),
    path("alerts/", views.alerts, name="alerts"),
]
