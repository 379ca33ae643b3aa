"""The web console at /console: a single-page app (buurtwacht/console/web) that is a client of /api/v1 only."""
