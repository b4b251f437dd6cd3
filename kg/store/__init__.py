"""Stores: the embedded on-disk Oxigraph store, any SPARQL 1.1 server, and copying between them.

Public: `open_store` (a folder or an http(s) URL), `Store`, `RemoteStore`, `copy_store`.
"""

from kg.store.embedded import Store, open_store
from kg.store.remote import RemoteStore
from kg.store.sync import copy_store

__all__ = ["RemoteStore", "Store", "copy_store", "open_store"]
