"""Print the pinned requirements of pyproject.toml: the base dependencies plus the extras named as arguments.
Used by the Dockerfile so that dependency layers depend on pyproject.toml alone, not on the code."""

import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
extras = [requirement for extra in sys.argv[1:] for requirement in project["optional-dependencies"][extra]]
print("\n".join(project["dependencies"] + extras))
