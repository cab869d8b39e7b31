"""Content stage: site.yaml, schema, loading, validation, the gazetteer and the site graph."""
