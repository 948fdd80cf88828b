from django.contrib.auth import views as auth_views
from django.urls import path

from comity.core import views
from comity.core.attachments import views as attachment_views

urlpatterns = [
    path("", views.home, name="home"),
    path("desk/attention/", views.desk_attention, name="desk-attention"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.my_access, name="my-access"),
    path("audit/", views.audit_log, name="audit-log"),
    path("attachments/add/", attachment_views.attachment_add, name="attachment-add"),
    path("attachments/<int:pk>/download/", attachment_views.attachment_download, name="attachment-download"),
    path("attachments/<int:pk>/delete/", attachment_views.attachment_remove, name="attachment-delete"),
]
