"""actorgraph: a knowledge graph of actors and regions from organized-crime and conflict news."""

from __future__ import annotations

__version__ = "0.1.0"
