"""Publishing: staged atomic writes, compression and the search index."""
