"""`python -m services.ingest`: what `newsfuse serve ingest` runs."""

from services.cli import serve_ingest

if __name__ == "__main__":
    serve_ingest()
