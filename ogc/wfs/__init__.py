"""WFS 2.0 (/wfs) for desktop GIS and agencies that read WFS rather than OGC API: capabilities,
feature type schemas, and GetFeature answered by the same query and filter code as OGC API."""
