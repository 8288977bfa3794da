"""Readers: the front page, the article page and its threaded discussion."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from comments import moderation
from comments.models import Comment

from ..factories import ArticleFactory, UserFactory, post

pytestmark = pytest.mark.django_db


class CommentNesting(HTMLParser):
    """Records, for each rendered comment, its data-parent-id and the comment element it sits in."""

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, comment id or None)
        self.found = {}  # comment id -> (data-parent-id, enclosing comment id)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        comment_id = attrs.get("data-comment-id")
        if comment_id is not None:
            enclosing = next((cid for _tag, cid in reversed(self.stack) if cid), "")
            self.found[comment_id] = (attrs.get("data-parent-id"), enclosing)
        if tag not in {"br", "img", "input", "meta", "link", "hr"}:
            self.stack.append((tag, comment_id))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _cid = self.stack.pop()
            if open_tag == tag:
                break


def nesting(html):
    parser = CommentNesting()
    parser.feed(html)
    return parser.found


def test_front_page_lists_published_articles_newest_first(client):
    older = ArticleFactory(headline="Older story")
    ArticleFactory(headline="Newer story", published_at=older.published_at + timedelta(minutes=5))
    ArticleFactory(headline="Draft story", status="draft")
    html = client.get("/").content.decode()
    assert html.index("Newer story") < html.index("Older story")
    assert "Draft story" not in html


def test_front_page_shows_approved_comment_count(client, article):
    post(article, "first")
    post(article, "second")
    assert "2 comments" in client.get("/").content.decode()


def test_article_page_shows_story_and_discussion(client, article):
    post(article, "What a *decision*.")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="headline">' in html and article.headline in html
    assert "RIVERTON" in html and "By Amara Okafor" in html
    assert "<h2>What happens next</h2>" in html
    assert "What a <em>decision</em>." in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_draft_article_is_not_found_for_readers(client):
    draft = ArticleFactory(status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_replies_nest_under_their_parent(client, article):
    top = post(article, "top")
    reply = post(article, "reply", parent=top)
    deeper = post(article, "deeper", parent=reply)
    other = post(article, "another top")
    found = nesting(client.get(article.get_absolute_url()).content.decode())
    assert found[str(top.pk)] == ("", "")
    assert found[str(reply.pk)] == (str(top.pk), str(top.pk))
    assert found[str(deeper.pk)] == (str(reply.pk), str(reply.pk))
    assert found[str(other.pk)] == ("", "")


def test_a_comment_with_replies_folds_away_with_them_without_javascript(client, article):
    top = post(article, "top", name="Ada")
    reply = post(article, "reply", parent=top)
    post(article, "deeper", parent=reply)
    leaf = post(article, "a top-level comment nobody answered")
    html = client.get(article.get_absolute_url(), {"sort": "oldest"}).content.decode()
    top_item = html[html.index(f'id="comment-{top.pk}"') : html.index(f'id="comment-{leaf.pk}"')]
    fold = re.search(r'<details class="comment-fold" open><summary[^>]*>(.*?)</summary>', top_item)
    assert fold, "the comment with replies opens a <details> that is open by default"
    assert "Hide this comment and its 2 replies" in fold.group(1)
    assert "Ada · 2 replies hidden" in fold.group(1)
    assert top_item.index("<summary") < top_item.index(f'id="comment-{reply.pk}"')
    assert top_item.count("</details>") == 2  # the top comment's and its reply's
    leaf_item = html[html.index(f'id="comment-{leaf.pk}"') :]
    assert "<details" not in leaf_item.split("</li>")[0]


def test_a_reply_says_whom_it_answers_with_a_link_to_that_comment(client, article):
    top = post(article, "top", name="Ada Lovelace")
    reply = post(article, "reply", parent=top, name="Charles")
    html = client.get(article.get_absolute_url()).content.decode()
    reply_item = html[html.index(f'id="comment-{reply.pk}"') :]
    assert (
        f'<a class="in-reply-to" href="#comment-{top.pk}">in reply to Ada Lovelace</a>'
        in reply_item.split("</header>")[0]
    )
    top_item = html[html.index(f'id="comment-{top.pk}"') :]
    assert "in-reply-to" not in top_item.split("</header>")[0]


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/St_Johns"])
def test_comment_times_read_as_djangos_date_filter_writes_them(client, article, settings, zone):
    settings.TIME_ZONE = zone
    base = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    moments = [base, base + timedelta(hours=12), base + timedelta(hours=15, minutes=7, seconds=59)]
    for moment in moments:
        comment = post(article, f"posted at {moment}")
        Comment.objects.filter(pk=comment.pk).update(created_at=moment)
    html = client.get(article.get_absolute_url()).content.decode()
    with timezone.override(zone):
        for moment in moments:
            local = timezone.localtime(moment)
            assert (
                f'<time datetime="{local.isoformat()}">{date_format(local, "DATETIME_FORMAT")}'
                in html
            )


def test_comment_shows_author_time_permalink_and_reply_link(client, article):
    comment = post(article, "hello", name="Zoë Ångström")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Zoë Ångström" in html
    assert "guest" in html
    assert f'<a class="comment-permalink" href="/comments/{comment.pk}/"' in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', html)
    assert f'href="/comments/{comment.pk}/reply/"' in html


def test_guest_email_is_never_shown(client, article):
    post(article, "hello", email="secret.reader@example.org")
    assert (
        "secret.reader@example.org" not in client.get(article.get_absolute_url()).content.decode()
    )


def test_removed_comment_with_replies_stays_as_placeholder(client, article):
    top = post(article, "rude words here")
    reply = post(article, "a fair reply", parent=top)
    moderation.set_status(Comment.objects.filter(pk=top.pk), Comment.Status.REMOVED)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "rude words here" not in html
    assert "[removed]" in html
    assert nesting(html)[str(reply.pk)] == (str(top.pk), str(top.pk))


def test_removed_comment_without_replies_disappears(client, article):
    top = post(article, "rude words here")
    moderation.set_status(Comment.objects.filter(pk=top.pk), Comment.Status.REMOVED)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "rude words here" not in html
    assert "[removed]" not in html
    assert f'id="comment-{top.pk}"' not in html


def test_thread_deeper_than_display_depth_continues_on_its_own_page(client, article, settings):
    settings.NEWSBOARD_DISPLAY_DEPTH = 3
    chain = [post(article, "level 0")]
    for level in range(1, 6):
        chain.append(post(article, f"level {level}", parent=chain[-1]))
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{chain[2].pk}"' in html
    assert f'id="comment-{chain[3].pk}"' not in html
    assert "Continue this thread (3 more replies)" in html
    assert f'class="continue-thread" href="/comments/{chain[2].pk}/"' in html
    subthread = client.get(f"/comments/{chain[2].pk}/").content.decode()
    assert f'id="comment-{chain[4].pk}"' in subthread


def test_threads_are_paginated_with_whole_subtrees(client, article, settings):
    settings.NEWSBOARD_THREADS_PER_PAGE = 2
    roots = [post(article, f"root {n}") for n in range(5)]
    post(article, "reply to the oldest", parent=roots[0])
    page1 = client.get(article.get_absolute_url() + "?sort=oldest").content.decode()
    assert "root 0" in page1 and "reply to the oldest" in page1 and "root 1" in page1
    assert "root 2" not in page1
    assert "Later comments" in page1
    page3 = client.get(article.get_absolute_url() + "?sort=oldest&page=3").content.decode()
    assert "root 4" in page3 and "root 0" not in page3


@pytest.mark.parametrize(("page", "shown"), [("999", 3), ("0", 3), ("abc", 1), ("2", 2)])
def test_a_page_number_out_of_range_shows_the_nearest_page(client, article, settings, page, shown):
    settings.NEWSBOARD_THREADS_PER_PAGE = 2
    for n in range(5):
        post(article, f"root {n}")
    html = client.get(f"{article.get_absolute_url()}?sort=oldest&page={page}").content.decode()
    assert f"Page {shown} of 3" in html
    assert f"root {2 * shown - 2}" in html


def test_newest_sort_puts_latest_thread_first(client, article):
    post(article, "first thread")
    post(article, "second thread")
    html = client.get(article.get_absolute_url() + "?sort=newest").content.decode()
    assert html.index("second thread") < html.index("first thread")


@pytest.mark.parametrize("query", ["?page=999", "?page=abc", "?sort=bogus", "?page=-1&sort="])
def test_odd_paging_and_sorting_parameters_still_show_the_page(client, article, query):
    post(article, "still here")
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    assert "still here" in response.content.decode()


def test_comment_page_shows_ancestors_as_context_and_subtree(client, article):
    chain = [post(article, "level 0")]
    for level in range(1, 6):
        chain.append(post(article, f"level {level}", parent=chain[-1]))
    html = client.get(f"/comments/{chain[4].pk}/").content.decode()
    for level in (1, 2, 3, 4, 5):
        assert f"level {level}" in html
    assert "level 0" not in html
    assert f"#comment-{chain[4].pk}" in html


def test_comment_page_links_to_the_right_discussion_page(client, article, settings):
    settings.NEWSBOARD_THREADS_PER_PAGE = 2
    roots = [post(article, f"root {n}") for n in range(5)]
    reply = post(article, "reply", parent=roots[0])
    html = client.get(f"/comments/{reply.pk}/").content.decode()
    # newest first by default: the oldest thread is on the last page
    assert f'href="{article.get_absolute_url()}?page=3#comment-{reply.pk}"' in html


def test_hidden_comment_page_is_not_found(client, article):
    comment = post(article, "spam spam")
    moderation.set_status(Comment.objects.filter(pk=comment.pk), Comment.Status.SPAM)
    assert client.get(f"/comments/{comment.pk}/").status_code == 404


def test_comments_disabled_article_shows_no_discussion(client):
    article = ArticleFactory(comments_mode="disabled")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="comments"' not in html
    assert 'name="body"' not in html


def test_closed_article_shows_comments_but_no_form(client):
    article = ArticleFactory()
    post(article, "said before closing")
    article.comments_mode = "closed"
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "said before closing" in html
    assert 'name="body"' not in html
    assert "Comments on this article are closed." in html


def test_section_page_lists_its_articles(client):
    article = ArticleFactory()
    other = ArticleFactory()
    html = client.get(
        reverse("articles:section", kwargs={"slug": article.section.slug})
    ).content.decode()
    assert article.headline in html
    assert other.headline not in html


def test_the_articles_own_author_carries_an_author_badge(client, article):
    reporter = UserFactory()
    article.author_accounts.add(reporter)
    post(article, "Reporter here: the figures come from the council.", user=reporter)
    assert "Author</span>" in client.get(article.get_absolute_url()).content.decode()


def test_staff_carry_a_staff_badge(client, article):
    post(article, "From the desk", user=UserFactory(is_staff=True))
    post(article, "From a reader", user=UserFactory())
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("Staff</span>") == 1


def new_comments_url(article, since):
    url = reverse("comments:new_comments", kwargs={"slug": article.slug})
    return f"{url}?{urlencode({'since': since})}"


def test_new_comments_endpoint_counts_comments_since_the_page_opened(client, article):
    earlier, later, held = (post(article, body) for body in ("before", "after", "held"))
    opened = earlier.created_at + timedelta(seconds=1)
    Comment.objects.filter(pk__in=[later.pk, held.pk]).update(
        created_at=opened + timedelta(minutes=1)
    )
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    assert client.get(new_comments_url(article, opened.isoformat())).json() == {"count": 1}


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01T00:00:00Z", "2026-11-01T10:00:00"])
def test_new_comments_endpoint_refuses_a_bad_moment(client, article, since):
    assert client.get(new_comments_url(article, since)).status_code == 400


def test_article_page_tells_the_script_where_to_ask_for_new_comments(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'data-new-comments-url="/articles/{article.slug}/comments/new/"' in html


def test_a_huge_thread_shows_its_first_comments_and_a_link_to_the_rest(client, article, settings):
    settings.NEWSBOARD_COMMENTS_PER_THREAD = 5
    root = post(article, "root")
    replies = [post(article, f"reply {n}", parent=root) for n in range(7)]
    html = client.get(article.get_absolute_url() + "?sort=oldest").content.decode()
    shown = [int(pk) for pk in re.findall(r'data-comment-id="(\d+)"', html)]
    assert shown == [root.pk, *[reply.pk for reply in replies[:4]]]
    assert "Load 3 more replies in this thread" in html
    assert f'href="/comments/{root.pk}/"' in html
    whole = client.get(f"/comments/{root.pk}/").content.decode()
    assert all(f'id="comment-{reply.pk}"' in whole for reply in replies)
