"""The demo district generator in parts: plan (layout), buildings, places, assets."""
