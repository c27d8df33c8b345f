"""URL patterns of one part of geo (kept apart so each part owns its routes)."""

urlpatterns: list = []
