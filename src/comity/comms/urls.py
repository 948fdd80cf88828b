"""Comms pages, under /comms/."""

from django.urls import path

from comity.comms import views

app_name = "comms"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.compose, name="compose"),
    path("badge/", views.badge, name="badge"),
    path("conversations/<int:pk>/", views.conversation, name="conversation"),
    path("conversations/<int:pk>/thread/", views.thread, name="thread"),
    path("messages/<int:pk>/forward/", views.forward, name="forward"),
    path("messages/<int:pk>/edit/", views.edit, name="edit"),
    path("messages/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
