"""Routes of the jobs pages."""

from django.urls import path

from . import job_views

urlpatterns = [
    path("isler/", job_views.job_list, name="geo-jobs"),
    path("isler/<int:pk>/", job_views.job_page, name="geo-job"),
    path("isler/<int:pk>/durum/", job_views.job_status, name="geo-job-status"),
    path("isler/<int:pk>/iptal/", job_views.job_cancel, name="geo-job-cancel"),
    path("isler/<int:pk>/dosya/", job_views.job_file, name="geo-job-file"),
]
