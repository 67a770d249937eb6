"""HTTP edge: FastAPI app factory, JSON API routes and HTML page routes over the same core."""
