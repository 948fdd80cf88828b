"""Websocket routes of comms (mounted by ``comity.asgi``)."""

from django.urls import path

from comity.comms.consumers import CommsConsumer

websocket_urlpatterns = [path("ws/comms/", CommsConsumer.as_asgi())]
