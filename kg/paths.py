"""Where the curated ontology lives: inside the installed package, or in the checkout."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = ["ontology_dir", "default_store"]


def ontology_dir() -> Path:
    """The folder holding kg.ttl, gazetteer/, patterns/ and queries/.

    `$KG_ONTOLOGY` wins, so curators can try an edited copy; then the copy shipped in the wheel
    (`kg/ontology`); then the checkout's `ontology/` beside the package (editable installs).
    """
    override = os.environ.get("KG_ONTOLOGY")
    if override:
        return Path(override)
    shipped = Path(str(resources.files("kg"))) / "ontology"
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parent.parent / "ontology"


def default_store() -> str:
    """The store used when none is named: `$KG_STORE`, else `.kg/store` in the working folder."""
    return os.environ.get("KG_STORE") or str(Path(".kg") / "store")
