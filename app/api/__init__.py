"""The public JSON API under /api/v1: reads that reuse the catalogue's, providers' and certificates' queries."""
