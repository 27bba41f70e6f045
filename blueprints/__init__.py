"""One blueprint package per feature: ``bp`` in ``__init__``, views in ``routes.py``."""
