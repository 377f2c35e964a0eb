"""`python -m services.sink`: what `newsfuse serve sink` runs."""

from services.cli import serve_sink

if __name__ == "__main__":
    serve_sink()
