from django.urls import path

from comity.engagements import programme_views, record_views, report_views, views

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
    path("records/<slug:key>/", views.record_detail, name="record"),
    path("records/<slug:key>/transition/", views.engagement_transition, name="transition"),
    path("records/<slug:key>/edit/", record_views.record_edit, name="record-edit"),
    path("records/<slug:key>/report/", report_views.report_detail, name="report"),
    path("records/<slug:key>/report/edit/", report_views.report_edit, name="report-edit"),
    path("new/<str:kind>/", record_views.record_create, name="record-create"),
    path("attache-network/", views.attache_network, name="attache-network"),
    path("programmes/", programme_views.programme_list, name="programmes"),
    path("programmes/<int:pk>/", programme_views.programme_detail, name="programme"),
    path("programmes/<int:pk>/propose/", programme_views.activity_propose, name="propose"),
    path("activities/<slug:key>/", programme_views.activity_detail, name="activity"),
    path("activities/<slug:key>/<str:step>/", programme_views.activity_step, name="activity-step"),
]
