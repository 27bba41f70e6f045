"""Fixtures of the matching tests: the tiny catalogue's model and the real demo catalogue."""

from __future__ import annotations

import pytest

from matching import build_model
from matching.eval.catalogue_docs import load_catalogue_docs
from tests.matching.helpers import SIX, TOURS


@pytest.fixture(scope="session")
def six_model():
    """Six professions of six kinds and five tours (three at one enterprise)."""
    return build_model(SIX, TOURS, "six")


@pytest.fixture(scope="session")
def demo_docs():
    """The demo catalogue's professions and tours."""
    return load_catalogue_docs()


@pytest.fixture(scope="session")
def demo_model(demo_docs):
    """The default model on the demo catalogue."""
    professions, tours = demo_docs
    return build_model(professions, tours, "demo")


@pytest.fixture(scope="session")
def production_model(demo_docs):
    """The model as the site builds it: the demo catalogue with the everyday-words vocabulary."""
    from matching.vocabulary import Vocabulary

    professions, tours = demo_docs
    return build_model(professions, tours, "demo", vocabulary=Vocabulary.load())
