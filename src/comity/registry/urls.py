from django.urls import path

from comity.registry import views

app_name = "registry"
urlpatterns = [
    path("states/", views.state_list, name="state-list"),
    path("states/<str:iso3>/", views.state_detail, name="state-detail"),
    path("alliance/", views.alliance, name="alliance"),
    path("map/", views.alliance_map, name="map"),
    path("notes/", views.note_list, name="note-list"),
    path("notes/add/", views.note_create, name="note-create"),
    path("notes/<int:pk>/", views.note_detail, name="note-detail"),
    path("notes/<int:pk>/edit/", views.note_edit, name="note-edit"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note-delete"),
]
