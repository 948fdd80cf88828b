from django.urls import path

from comity.assessment.api import views

app_name = "assessment-api"
urlpatterns = [
    path("burden/", views.BurdenView.as_view(), name="burden"),
]
