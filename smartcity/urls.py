"""URL patterns of smartcity."""

urlpatterns: list = []
