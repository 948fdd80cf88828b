from django.urls import path

from comity.engagements import views

app_name = "engagements"
urlpatterns = [
    path("", views.engagement_list, name="list"),
    path("timeline/", views.timeline, name="timeline"),
    path("calendar/", views.month_calendar, name="calendar"),
    path("vienna-document/", views.vienna_list, name="vienna"),
    path("network/", views.network, name="network"),
    path("map/", views.engagement_map, name="map"),
    path("country/<str:iso3>/", views.country_profile, name="country"),
    path("exercises/<slug:key>/", views.exercise_detail, name="detail"),
    path("exercises/<slug:key>/transition/", views.exercise_transition, name="transition"),
]
