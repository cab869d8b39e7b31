"""The preview server (showcase serve) and its error overlay."""
