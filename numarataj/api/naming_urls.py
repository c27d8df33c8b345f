"""URL patterns of one part of numarataj."""

urlpatterns: list = []
