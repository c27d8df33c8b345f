"""Kent's OGC services at /ogc/: pygeoapi configured from the layer registry (OGC API Features and
Records), Kent's own pygeoapi providers over PostGIS, agency tokens and their access log.

Reading order: `conf` (deployment settings), `sources` (what a layer publishes, and how its rows
are read), `query` + `cql` + `params` (one request as SQL), `provider` / `records` (the pygeoapi
plugins), `config` + `stamp` + `snapshot` (the pygeoapi configuration and its per-process cache),
`access` (who may read what), `views` / `fastpath` / `http` (the HTTP side), `openapi`
(a self-contained API document), `admin` / `pages` (tokens and the log for staff)."""
