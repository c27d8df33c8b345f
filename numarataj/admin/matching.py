"""Admin of textual address matching: it has no models of its own, so nothing is registered here.
Officers use the API (/api/numarataj/eslestir/) or `manage.py match_addresses`."""
