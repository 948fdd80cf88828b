from django.urls import path

from comity.assessment import objective_views, views

app_name = "assessment"
urlpatterns = [
    path("burden/", views.burden, name="burden"),
    path("objectives/", objective_views.objectives_tree, name="objectives"),
    path("new-objective/", objective_views.objective_add, name="objective-add"),
    path("objectives/<slug:code>/", objective_views.objective_detail, name="objective"),
    path("objectives/<slug:code>/measurements/add/", objective_views.measurement_add, name="measurement-add"),
    path("objectives/<slug:code>/indicators/add/", objective_views.indicator_add, name="indicator-add"),
]
