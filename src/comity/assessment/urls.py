from django.urls import path

from comity.assessment import views

app_name = "assessment"
urlpatterns = [
    path("burden/", views.burden, name="burden"),
]
