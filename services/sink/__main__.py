"""`python -m services.sink`: what `newsfuse serve sink` and its container run."""

from services.sink.serve import serve

if __name__ == "__main__":
    serve()
