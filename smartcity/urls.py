"""URL patterns of smartcity: pages under /akilli-kent/, JSON under /api/smartcity/."""

from django.urls import path

from smartcity import pages
from smartcity.api import alerts, observations, readings

urlpatterns = [
    path("api/smartcity/readings/", readings.readings, name="smartcity-readings"),
    path("api/smartcity/assets/<str:asset_id>/observations/", observations.history, name="smartcity-history"),
    path("api/smartcity/live/<str:type_name>.geojson", observations.live, name="smartcity-live"),
    path("api/smartcity/alerts/", alerts.alert_list, name="smartcity-alert-list"),
    path("api/smartcity/alerts/<int:pk>/acknowledge/", alerts.acknowledge, name="smartcity-alert-ack"),
    path("api/smartcity/indicators/", pages.indicators_api, name="smartcity-indicators"),
    path("akilli-kent/", pages.dashboard, name="smartcity-dashboard"),
    path("akilli-kent/harita/", pages.live_map, name="smartcity-map"),
    path("akilli-kent/varlik/<str:asset_id>/", pages.asset_page, name="smartcity-asset"),
    path("akilli-kent/uyarilar/", pages.alert_page, name="smartcity-alerts"),
    path("akilli-kent/uyarilar/<int:pk>/onayla/", pages.acknowledge_page, name="smartcity-alert-ack-page"),
    path("akilli-kent/hatali-veriler/", pages.dead_letter_page, name="smartcity-dead-letters"),
]
