"""`python -m services.ingest`: what `newsfuse serve ingest` and its container run."""

from services.ingest.serve import serve

if __name__ == "__main__":
    serve()
