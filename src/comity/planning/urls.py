from django.urls import path

from comity.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.home, name="home"),
    path("rotations/", views.rotations, name="rotations"),
    path("rotations/save/", views.rotations_save, name="rotations-save"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/save/", views.calendar_save, name="calendar-save"),
    path("saved.ics", views.saved_plans_ics, name="saved-ics"),
]
