import pytest

from .factories import ArticleFactory


@pytest.fixture
def article(db):
    return ArticleFactory()
