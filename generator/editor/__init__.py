"""Editor tools: scaffolds, JSON Schemas and the browser editor's configuration."""
