"""Page stage: Markdown, templates, page plans, SEO, charts and search terms."""
