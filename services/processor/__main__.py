"""`python -m services.processor`: what `newsfuse serve processor` and its container run."""

from services.processor.serve import serve

if __name__ == "__main__":
    serve()
