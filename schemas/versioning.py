"""How newsfuse's message schemas evolve: producers are strict, consumers accept fields they do not know.

Every topic schema carries an integer `version` (in its exported JSON Schema). A change that readers of the
previous version can still read (a new optional field) raises it; one they cannot read is a new topic
(`.v2`), written beside the old one until its consumers have moved.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)
VERSION_KEY = "version"


def read_message(model: type[Model], data: bytes | str) -> Model:
    """A consumed message: fields this version does not know (added by a newer producer) are ignored."""
    return model.model_validate_json(data, extra="ignore")


def schema_version(model: type[BaseModel]) -> int:
    extra = model.model_config.get("json_schema_extra")
    version = extra.get(VERSION_KEY) if isinstance(extra, dict) else None
    assert isinstance(version, int), f"{model.__name__} has no version"
    return version
