from django.urls import URLPattern

app_name = "assessment-api"
urlpatterns: list[URLPattern] = []
