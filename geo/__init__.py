"""geo: the layer registry, TUCBS themes, the generic feature store, import/export,
permissions, edit history and metadata. Everything that publishes reads `geo.Layer`."""
