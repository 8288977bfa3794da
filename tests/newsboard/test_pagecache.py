"""The page cache (newsboard.pagecache) as readers meet it on the article page."""

import pytest

from tests.factories import ArticleFactory, guest_data, post, post_url

pytestmark = pytest.mark.django_db


def read_twice(client, url):
    """The second reading: the first sets the CSRF cookie the page's version includes."""
    client.get(url)
    return client.get(url)


def test_a_reader_without_cookies_of_their_own_gets_the_kept_page(client, article):
    url = article.get_absolute_url()
    client.get(url)  # renders the page and keeps it
    kept = client.get(url)
    assert kept.templates == []
    assert kept.has_header("ETag")
    assert 'name="body"' in kept.text


def test_a_cookie_the_settings_call_personal_keeps_the_reader_off_the_kept_page(
    client, article, settings
):
    settings.NEWSBOARD_PERSONAL_COOKIES = ["newsletter_reader"]
    url = article.get_absolute_url()
    read_twice(client, url)
    client.cookies["newsletter_reader"] = "42"
    response = client.get(url)
    assert response.templates != []
    assert not response.has_header("ETag")
    assert not response.has_header("Last-Modified")


def test_the_guest_cookie_takes_its_name_from_the_settings_and_stays_personal(
    client, article, settings
):
    settings.NEWSBOARD_GUEST_COOKIE_NAME = "visitor"
    settings.NEWSBOARD_PERSONAL_COOKIES = ["visitor"]
    response = client.post(post_url(article), guest_data(body="Under another cookie."))
    assert response.status_code == 303
    assert "visitor" in client.cookies and "guest" not in client.cookies
    client.get(response["Location"])  # shows the message: what remains is the guest cookie
    page = client.get(article.get_absolute_url())
    assert not page.has_header("ETag")
    assert "Under another cookie." in page.text
    assert 'value="Siobhán Ní Bhriain"' in page.text  # their name, filled into the form


def test_a_changed_setting_makes_every_kept_copy_stale(client, article, settings):
    url = article.get_absolute_url()
    etag = read_twice(client, url)["ETag"]
    settings.NEWSBOARD_COMMENTS_PER_THREAD = 7
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_kept_page_of_another_article_version_is_rendered_again(client, article):
    url = article.get_absolute_url()
    client.get(url)
    post(article, "Arrived after the page was kept.")
    response = client.get(url)
    assert response.templates != []
    assert "Arrived after the page was kept." in response.text
    assert client.get(url).templates == []  # and kept again


def test_the_threads_are_joined_into_the_page_whole_and_in_place(client, settings):
    settings.NEWSBOARD_THREADS_PER_PAGE = 1_000
    article = ArticleFactory()
    for n in range(30):
        post(article, f"Comment number {n}.")
    html = client.get(article.get_absolute_url()).text
    assert "<!--fragment" not in html
    assert html.count(" data-comment-id=") == 30
    threads_start = html.index(" data-comment-id=")
    assert html.index('id="comments"') < threads_start < html.index("application/ld+json")
