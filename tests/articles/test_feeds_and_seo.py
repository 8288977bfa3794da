"""Feeds, the sitemap, robots.txt, and how article pages describe themselves to machines."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from io import BytesIO

import feedparser
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from articles.models import Article
from comments import moderation
from comments.models import Comment

from ..factories import ArticleFactory, SectionFactory, UserFactory, post

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# What the tests require of the structured data: Google's required and recommended
# properties for a NewsArticle, and what a schema.org Comment needs to be useful.
NEWS_ARTICLE_REQUIRED = [
    "@context",
    "@type",
    "headline",
    "datePublished",
    "author",
    "image",
    "publisher.name",
    "mainEntityOfPage",
]
COMMENT_REQUIRED = ["@type", "text", "dateCreated", "author.name"]


def lead_image(name="lead.png", size=(1200, 800)):
    buffer = BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=name)


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


def structured_data(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def missing(data, required):
    """The dotted paths of `required` that `data` lacks or leaves empty."""
    absent = []
    for path in required:
        value = data
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if value in (None, "", []):
            absent.append(path)
    return absent


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return match and match[1]


# Feeds


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_latest_articles_feed_lists_published_articles_only(client, kind):
    older = ArticleFactory(headline="Older story", byline="Ines Duarte")
    newer = ArticleFactory(
        headline="Newer story", published_at=older.published_at + timedelta(minutes=5)
    )
    ArticleFactory(headline="Draft story", status=Article.Status.DRAFT)
    ArticleFactory(headline="Scheduled story", published_at=timezone.now() + timedelta(days=1))

    response, feed = parse_feed(client, f"/feeds/articles/{kind}/")

    assert response["Content-Type"].startswith(f"application/{kind}+xml")
    assert [entry.title for entry in feed.entries] == ["Newer story", "Older story"]
    first, second = feed.entries
    assert first.link == f"http://testserver{newer.get_absolute_url()}"
    assert first.summary == newer.standfirst
    assert first.published_parsed
    if kind == "atom":  # RSS items have no date of change
        assert first.updated_parsed
    assert second.author == "Ines Duarte"
    assert first.tags[0].term == newer.section.name


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_feed_lists_that_sections_published_articles(client, kind):
    politics, sport = SectionFactory(name="Politics"), SectionFactory(name="Sport")
    ArticleFactory(headline="Vote tonight", section=politics)
    ArticleFactory(headline="Cup final", section=sport)
    ArticleFactory(headline="Unfinished", section=politics, status=Article.Status.DRAFT)

    _response, feed = parse_feed(client, f"/feeds/sections/{politics.slug}/{kind}/")

    assert [entry.title for entry in feed.entries] == ["Vote tonight"]
    assert "Politics" in feed.feed.title


def test_section_feed_of_an_unknown_section_is_not_found(client):
    assert client.get("/feeds/sections/no-such-section/rss/").status_code == 404


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_comments_feed_lists_approved_comments_only(client, article, kind):
    member = UserFactory(display_name="Nadia Haddad")
    post(article, "I was *there*.", user=member)
    post(article, "Seen from the bridge.", name="Tomás")
    removed = post(article, "Buy cheap watches.")
    moderation.set_status(Comment.objects.filter(pk=removed.pk), Comment.Status.REMOVED)

    response, feed = parse_feed(client, f"/feeds/articles/{article.slug}/comments/{kind}/")

    assert [entry.author for entry in feed.entries] == ["Tomás", "Nadia Haddad"]
    bridge, there = feed.entries
    assert bridge.title == "Tomás: “Seen from the bridge.”"
    assert there.link.startswith("http://testserver/comments/")
    assert "<em>there</em>" in there.summary
    assert there.published_parsed
    assert "cheap watches" not in response.content.decode()
    assert "guest@example.org" not in response.content.decode()


def test_comments_feed_of_a_draft_article_is_not_found(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert client.get(f"/feeds/articles/{draft.slug}/comments/rss/").status_code == 404


def test_comments_feed_of_an_article_without_discussion_is_not_found(client):
    article = ArticleFactory(comments_mode=Article.CommentsMode.DISABLED)
    assert client.get(f"/feeds/articles/{article.slug}/comments/atom/").status_code == 404


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_article_feeds_run_the_same_queries_for_few_and_many_articles(client):
    section = SectionFactory()
    ArticleFactory.create_batch(2, section=section, byline="A. Writer")
    few = [count_queries(client, url) for url in ("/feeds/articles/rss/", section_feed(section))]
    ArticleFactory.create_batch(25, section=section, byline="A. Writer")
    many = [count_queries(client, url) for url in ("/feeds/articles/rss/", section_feed(section))]
    assert few == many == [1, 2]


def section_feed(section):
    return f"/feeds/sections/{section.slug}/atom/"


def test_comments_feed_runs_the_same_queries_for_few_and_many_comments(client, article):
    url = f"/feeds/articles/{article.slug}/comments/rss/"
    for n in range(2):
        post(article, f"Member comment {n}", user=UserFactory())
    few = count_queries(client, url)
    for n in range(20):
        post(article, f"Member comment {n + 2}", user=UserFactory())
        post(article, f"Guest comment {n}", name=f"Guest {n}")
    assert count_queries(client, url) == few == 2


def test_pages_link_the_site_feeds_and_their_own(client, article):
    home = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in home and 'href="/feeds/articles/rss/"' in home
    assert 'type="application/atom+xml"' in home and 'href="/feeds/articles/atom/"' in home

    section = client.get(article.section.get_absolute_url()).content.decode()
    assert f'href="/feeds/sections/{article.section.slug}/rss/"' in section
    assert f'href="/feeds/sections/{article.section.slug}/atom/"' in section

    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/feeds/articles/{article.slug}/comments/rss/"' in page
    assert f'href="/feeds/articles/{article.slug}/comments/atom/"' in page


# Sitemap and robots.txt


def test_sitemap_lists_home_sections_and_published_articles_with_lastmod(client):
    edited_at = timezone.now() - timedelta(days=8)
    quiet = ArticleFactory(headline="Quiet story")
    Article.objects.filter(pk=quiet.pk).update(
        published_at=edited_at - timedelta(days=1), updated_at=edited_at
    )
    talked_about = ArticleFactory(headline="Talked-about story")
    Article.objects.filter(pk=talked_about.pk).update(
        published_at=timezone.now() - timedelta(days=5),
        updated_at=timezone.now() - timedelta(days=5),
    )
    comment = post(talked_about, "Still arguing about this one.")
    draft = ArticleFactory(status=Article.Status.DRAFT)
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    empty_section = SectionFactory(name="Nothing yet")
    ArticleFactory(section=empty_section, status=Article.Status.DRAFT)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    urls = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in ET.fromstring(response.content).iter(f"{SITEMAP}url")
    }
    absolute = "http://testserver{}".format
    assert absolute("/") in urls
    assert absolute(quiet.section.get_absolute_url()) in urls
    assert absolute(empty_section.get_absolute_url()) not in urls
    assert absolute(draft.get_absolute_url()) not in urls
    assert absolute(scheduled.get_absolute_url()) not in urls
    assert urls[absolute(quiet.get_absolute_url())] == str(timezone.localdate(edited_at))
    assert urls[absolute(talked_about.get_absolute_url())] == str(
        timezone.localdate(comment.created_at)
    )
    assert all(urls.values())


def test_sitemap_uses_https_when_asked_over_https(client):
    ArticleFactory()
    response = client.get("/sitemap.xml", secure=True)
    locations = [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    assert locations and all(loc.startswith("https://testserver/") for loc in locations)


def test_robots_txt_points_at_the_sitemap_and_keeps_out_of_admin_and_accounts(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /accounts/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


# Canonical address, Open Graph, Twitter cards


def test_article_page_has_absolute_canonical_open_graph_and_twitter_tags(client):
    article = ArticleFactory(lead_image=lead_image(), lead_image_caption="The old bridge at dusk")
    html = client.get(f"{article.get_absolute_url()}?sort=newest&page=1").content.decode()
    url = f"http://testserver{article.get_absolute_url()}"
    image_url = f"http://testserver{article.lead_image.url}"

    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:title") == article.headline
    assert meta(html, "property", "og:description") == article.standfirst
    assert meta(html, "property", "og:url") == url
    assert meta(html, "property", "og:site_name") == "Newsboard"
    assert meta(html, "property", "og:image") == image_url
    assert meta(html, "property", "og:image:width") == "1200"
    assert meta(html, "property", "og:image:height") == "800"
    assert meta(html, "property", "article:section") == article.section.name
    published = datetime.fromisoformat(meta(html, "property", "article:published_time"))
    assert published == article.published_at
    assert meta(html, "name", "twitter:card") == "summary_large_image"
    assert meta(html, "name", "twitter:image") == image_url
    assert meta(html, "name", "twitter:title") == article.headline


def test_article_without_standfirst_is_described_by_its_first_words(client):
    article = ArticleFactory(standfirst="")
    html = client.get(article.get_absolute_url()).content.decode()
    assert meta(html, "property", "og:description") == (
        "The council voted seven to two on Tuesday. What happens next Work starts in spring."
    )
    assert meta(html, "name", "twitter:card") == "summary"


def test_list_pages_have_canonical_addresses_with_their_page_number(client):
    section = SectionFactory()
    ArticleFactory.create_batch(21, section=section)
    assert '<link rel="canonical" href="http://testserver/">' in client.get("/").content.decode()
    second = client.get(f"{section.get_absolute_url()}?page=2").content.decode()
    assert f'href="http://testserver{section.get_absolute_url()}?page=2"' in second


def test_tags_escape_what_the_newsroom_typed(client):
    article = ArticleFactory(headline='Mayor says "no" & <b>leaves</b>')
    html = client.get(article.get_absolute_url()).content.decode()
    escaped = "Mayor says &quot;no&quot; &amp; &lt;b&gt;leaves&lt;/b&gt;"
    assert f'<meta property="og:title" content="{escaped}">' in html
    assert "<b>leaves" not in html


# Structured data (schema.org NewsArticle in JSON-LD)


def test_structured_data_describes_the_article_and_the_comments_opening_its_discussion(client):
    article = ArticleFactory(lead_image=lead_image(), byline="Amara Okafor and Li Wei")
    member = UserFactory(display_name="Nadia Haddad")
    first = post(article, "I was *there* & saw it.", user=member)
    post(article, "Seen from the bridge.", name="Tomás")
    hidden = post(article, "Spam, spam, spam.")
    moderation.set_status(Comment.objects.filter(pk=hidden.pk), Comment.Status.SPAM)

    data = structured_data(client.get(article.get_absolute_url()).content.decode())

    assert missing(data, NEWS_ARTICLE_REQUIRED) == []
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.headline
    assert data["description"] == article.standfirst
    url = f"http://testserver{article.get_absolute_url()}"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["image"] == [f"http://testserver{article.lead_image.url}"]
    published = datetime.fromisoformat(data["datePublished"])
    assert abs(published - article.published_at) < timedelta(milliseconds=1)
    assert datetime.fromisoformat(data["dateModified"]) >= datetime.fromisoformat(
        data["datePublished"]
    )
    assert data["author"] == [
        {"@type": "Person", "name": "Amara Okafor"},
        {"@type": "Person", "name": "Li Wei"},
    ]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Newsboard"
    assert data["commentCount"] == 2
    assert [missing(comment, COMMENT_REQUIRED) for comment in data["comment"]] == [[], []]
    assert [comment["author"]["name"] for comment in data["comment"]] == ["Tomás", "Nadia Haddad"]
    assert data["comment"][1]["text"] == "I was there & saw it."
    assert data["comment"][1]["url"] == f"http://testserver{first.get_absolute_url()}"
    assert datetime.fromisoformat(data["comment"][0]["dateCreated"]) <= timezone.now()
    assert "Spam, spam" not in json.dumps(data)


def test_structured_data_follows_the_discussion(client, article):
    post(article, "First!")
    client.get(article.get_absolute_url())
    post(article, "Second, and better argued.")
    data = structured_data(client.get(article.get_absolute_url()).content.decode())
    assert [comment["text"] for comment in data["comment"]] == [
        "Second, and better argued.",
        "First!",
    ]
    assert data["commentCount"] == 2


def test_structured_data_lists_only_threads_on_the_first_page(client, article, settings):
    settings.NEWSBOARD_THREADS_PER_PAGE = 2
    settings.NEWSBOARD_DEFAULT_SORT = "oldest"
    roots = [post(article, f"Thread {n}") for n in range(3)]
    post(article, "A reply is shown inside its thread", parent=roots[0])
    data = structured_data(client.get(article.get_absolute_url()).content.decode())
    assert [comment["text"] for comment in data["comment"]] == ["Thread 0", "Thread 1"]
    assert data["commentCount"] == 4


@pytest.mark.parametrize("query", ["?sort=oldest", "?page=2"])
def test_other_views_of_the_discussion_list_no_comments_in_structured_data(client, article, query):
    post(article, "Shown on the canonical page only")
    data = structured_data(client.get(article.get_absolute_url() + query).content.decode())
    assert "comment" not in data
    assert data["commentCount"] == 1


def test_structured_data_names_the_newsroom_when_there_is_no_byline(client):
    article = ArticleFactory(byline="", comments_mode=Article.CommentsMode.DISABLED)
    data = structured_data(client.get(article.get_absolute_url()).content.decode())
    assert data["author"] == [{"@type": "Organization", "name": "Newsboard"}]
    assert "comment" not in data and "commentCount" not in data


def test_script_end_tags_in_headline_or_comment_cannot_break_out_of_structured_data(client):
    attack = "</script><script>alert(1)</script><!--"
    article = ArticleFactory(headline=f"Breaking {attack}")
    post(article, f"Me too {attack}")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html
    data = structured_data(html)
    assert data["headline"] == f"Breaking {attack}"
    assert data["comment"][0]["text"] == "Me too </script><script>alert(1)</script><!--"
