"""URL patterns of tiles."""

urlpatterns: list = []
