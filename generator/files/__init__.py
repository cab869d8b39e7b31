"""File producers beside pages: photos, open data, QR codes, share cards, static and vendored assets."""
