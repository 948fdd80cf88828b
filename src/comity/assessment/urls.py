from django.urls import path

from comity.assessment import (
    cohesion_views,
    cooperation_views,
    interoperability_views,
    objective_views,
    partnership_views,
    posture_views,
    report_views,
    scorecard_views,
    views,
)

app_name = "assessment"
urlpatterns = [
    path("", views.index, name="index"),
    path("burden/", views.burden, name="burden"),
    path("cohesion/", cohesion_views.cohesion, name="cohesion"),
    path("interoperability/", interoperability_views.interoperability, name="interoperability"),
    path("scorecard/", scorecard_views.scorecard, name="scorecard"),
    path("cooperation/", cooperation_views.cooperation, name="cooperation"),
    path("posture/", posture_views.posture, name="posture"),
    path("partnerships/", partnership_views.partnerships, name="partnerships"),
    path("report/", report_views.report, name="report"),
    path("report/pdf/", report_views.report_download, name="report-pdf"),
    path("objectives/", objective_views.objectives_tree, name="objectives"),
    path("new-objective/", objective_views.objective_add, name="objective-add"),
    path("objectives/<slug:code>/", objective_views.objective_detail, name="objective"),
    path("objectives/<slug:code>/measurements/add/", objective_views.measurement_add, name="measurement-add"),
    path("objectives/<slug:code>/indicators/add/", objective_views.indicator_add, name="indicator-add"),
]
