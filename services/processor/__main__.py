"""`python -m services.processor`: run one processor worker (what `newsfuse serve processor` runs)."""

from services.cli import serve_processor

if __name__ == "__main__":
    serve_processor()
