"""smartcity: assets (car parks, signals, containers, cameras), feeds, observations, alerts."""
