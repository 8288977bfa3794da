"""Moving in and out: import_disqus, import_wordpress, export_comments and import_comments.

The exports in data/ beside this module are small but complete: threads five levels deep,
replies listed before the comment they answer, deleted, spam and pending
posts, HTML with links and entities, non-ASCII names, and hostile files.
"""

import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article
from comments import erasure, moderation
from comments.imports import engine
from comments.models import Comment, ModerationAction

from ..factories import ArticleFactory, UserFactory, post

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
DISQUS = DATA / "disqus.xml"
WORDPRESS = DATA / "wordpress.xml"


def run(command, *args):
    out = StringIO()
    call_command(command, *[str(arg) for arg in args], stdout=out, stderr=StringIO())
    return out.getvalue()


def export(*args):
    out = StringIO()
    call_command("export_comments", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def comment(body_start):
    return Comment.objects.get(body__startswith=body_start)


def nothing_written(articles_before):
    return not Comment.objects.exists() and Article.objects.count() == articles_before


@pytest.fixture
def articles():
    return {
        "council-vote": ArticleFactory(slug="council-vote"),
        "harbour-festival": ArticleFactory(slug="harbour-festival"),
    }


# Disqus


def test_disqus_threads_match_articles_by_address_or_identifier(articles):
    run("import_disqus", DISQUS)
    assert articles["council-vote"].comments.count() == 8
    assert articles["harbour-festival"].comments.get().body == "Great fireworks."


def test_disqus_replies_keep_their_parents_five_levels_deep_even_listed_before_them(articles):
    run("import_disqus", DISQUS)
    chain = [
        comment("Read [the report]"),
        comment("click me"),
        comment("> Second bold"),  # listed after its reply 2004 in the file
        comment("Fourth level"),
        comment("Fifth level"),
    ]
    assert chain[0].parent is None
    for parent, reply in zip(chain, chain[1:], strict=False):
        assert reply.parent_id == parent.pk
    assert {reply.thread_id for reply in chain} == {chain[0].pk}
    depths = {c.pk: c.tree_depth for c in Comment.objects.with_tree_fields()}
    assert [depths[c.pk] for c in chain] == [0, 1, 2, 3, 4]


def test_disqus_dates_are_kept_as_timezone_aware_moments(articles):
    run("import_disqus", DISQUS)
    assert comment("Read [the report]").created_at == datetime(2019, 5, 4, 10, 0, tzinfo=UTC)
    # Written as 12:15+02:00 in the file.
    assert comment("Fourth level").created_at == datetime(2019, 5, 4, 10, 15, tzinfo=UTC)


def test_disqus_deleted_and_spam_posts_keep_that_status_with_a_log_entry(articles):
    run("import_disqus", DISQUS)
    deleted, spam = comment("I take it back."), comment("Cheap watches")
    assert deleted.status == Comment.Status.DELETED
    assert spam.status == Comment.Status.SPAM
    assert spam.parent == comment("Read [the report]")
    assert ModerationAction.objects.get(comment=spam).reason == (
        "Imported from Disqus: marked as spam on Disqus"
    )
    assert comment("Why did you delete").parent == deleted


def test_disqus_html_becomes_markdown_with_only_safe_links(articles):
    run("import_disqus", DISQUS)
    assert comment("Read").body == (
        "Read [the report](https://example.org/report?a=1&b=2) & weep \\<3\n\n"
        "Second **bold** and *italic*\nnext line"
    )
    hostile = comment("click me")
    assert hostile.body == "click me plain \\*stars\\* \\<b>not bold\\</b>"
    assert "<script" not in hostile.body_html and "javascript" not in hostile.body_html
    assert "&lt;b&gt;not bold&lt;/b&gt;" in hostile.body_html
    assert comment("Fourth level").body == "Fourth level — été"
    assert comment("Fifth level").body == "Fifth level: `x < y`"
    assert comment("> Second bold").body == "> Second bold\n\nAgreed."


def test_disqus_authors_become_guests_even_when_an_account_has_their_email(articles):
    member = UserFactory(email="member@example.org")
    run("import_disqus", DISQUS)
    mia = comment("Great fireworks.")
    assert (mia.user, mia.guest_name, mia.guest_email) == (None, "Mia Member", "member@example.org")
    assert not member.comments.exists()
    assert comment("Read").guest_name == "Zoë Ångström"
    assert comment("> Second bold").guest_name == "李小龍"
    assert comment("Fourth level").guest_email == ""  # "not-an-address" is dropped
    assert comment("Fifth level").guest_name == "quietreader"  # no name: the username


def test_disqus_import_recounts_the_approved_comments_and_replies(articles):
    run("import_disqus", DISQUS)
    council = Article.objects.get(slug="council-vote")
    assert council.comment_count == 6  # 8 comments, one deleted and one spam
    assert comment("Read").reply_count == 1  # the spam reply does not count
    assert comment("I take it back.").reply_count == 1


def test_disqus_threads_without_an_article_are_skipped_with_the_reason(articles):
    output = run("import_disqus", DISQUS)
    assert "skipped, no article matches (--create-missing makes one): 1" in output
    assert "skipped, no article matches its thread: 2" in output
    assert not Comment.objects.filter(body__startswith="Finally").exists()


def test_create_missing_makes_an_unpublished_draft_for_an_unmatched_thread(articles):
    run("import_disqus", DISQUS, "--create-missing")
    draft = Article.objects.get(slug="night-trains")
    assert draft.headline == "Night trains return"
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at == datetime(2019, 5, 10, 6, 0, tzinfo=UTC)
    assert draft.comment_count == 2
    assert comment("And to Rome").parent == comment("Finally")
    assert not Article.objects.filter(slug="about-us").exists()  # no posts: no draft


def test_create_missing_takes_a_draft_slug_from_an_articles_address():
    run("import_disqus", DISQUS, "--create-missing")
    assert set(Article.objects.values_list("slug", flat=True)) == {
        "council-vote",  # /articles/council-vote/, not its Disqus identifier
        "harbour-festival",  # its title: its address (/?p=77) has no path
        "night-trains",
    }


def test_running_the_disqus_import_twice_imports_nothing_new(articles):
    run("import_disqus", DISQUS, "--create-missing")
    output = run("import_disqus", DISQUS, "--create-missing")
    assert "Comments: 0 imported, 11 already there, 0 skipped." in output
    assert Comment.objects.count() == 11
    assert Article.objects.count() == 3


def test_posts_added_to_a_later_export_join_the_threads_imported_before(articles, tmp_path):
    later = tmp_path / "later.xml"
    later.write_text(
        DISQUS.read_text().replace(
            "</disqus>",
            """<post dsq:id="2100">
                 <message><![CDATA[<p>Months later.</p>]]></message>
                 <createdAt>2019-09-01T10:00:00Z</createdAt>
                 <author><name>Late</name></author>
                 <thread dsq:id="1001"/><parent dsq:id="2005"/>
               </post></disqus>""",
        )
    )
    run("import_disqus", DISQUS)
    run("import_disqus", later)
    late = comment("Months later.")
    assert late.parent == comment("Fifth level")
    assert late.thread_id == comment("Read").pk
    assert Comment.objects.count() == 10


def test_dry_run_reports_what_would_be_imported_and_writes_nothing(articles):
    output = run("import_disqus", DISQUS, "--create-missing", "--dry-run")
    assert "Comments: 11 would be imported, 0 already there, 0 skipped." in output
    assert "1 draft article(s) would be created" in output
    assert "Dry run: nothing was written." in output
    assert nothing_written(articles_before=2)


def test_a_billion_laughs_entity_bomb_is_refused_and_nothing_written(articles):
    with pytest.raises(CommandError) as error:
        run("import_disqus", DATA / "disqus-billion-laughs.xml", "--create-missing")
    assert "line 3: the file declares an entity (“lol”)" in str(error.value)
    assert "Nothing was imported." in str(error.value)
    assert nothing_written(articles_before=2)


def test_an_external_entity_is_refused_and_nothing_written(articles):
    with pytest.raises(CommandError, match="declares an entity \\(“secret”\\)"):
        run("import_disqus", DATA / "disqus-external-entity.xml")
    assert nothing_written(articles_before=2)


def test_a_truncated_file_is_refused_naming_the_line_and_nothing_written(articles, tmp_path):
    truncated = tmp_path / "truncated.xml"
    content = DISQUS.read_bytes()
    truncated.write_bytes(content[: len(content) * 2 // 3])
    with pytest.raises(CommandError, match="is not well-formed XML: .*line \\d+, column \\d+"):
        run("import_disqus", truncated, "--create-missing")
    assert nothing_written(articles_before=2)


def test_a_file_in_another_encoding_than_it_declares_is_refused_naming_the_line(articles, tmp_path):
    latin1 = tmp_path / "latin1.xml"
    latin1.write_bytes(DISQUS.read_text().encode("latin-1", errors="replace"))
    with pytest.raises(CommandError, match="not well-formed \\(invalid token\\): line \\d+"):
        run("import_disqus", latin1)
    assert nothing_written(articles_before=2)


def test_a_failure_while_writing_rolls_back_the_whole_import(articles, monkeypatch):
    calls = []

    def failing_render(source):
        calls.append(source)
        if len(calls) == 5:
            raise RuntimeError("the disk is full")
        return source

    monkeypatch.setattr(engine, "BATCH_SIZE", 2)
    monkeypatch.setattr(engine, "render_comment", failing_render)
    with pytest.raises(RuntimeError):
        run("import_disqus", DISQUS, "--create-missing")
    assert nothing_written(articles_before=2)


def test_a_post_listed_twice_is_refused_naming_it(articles, tmp_path):
    twice = tmp_path / "twice.xml"
    content = DISQUS.read_text()
    start = content.index('<post dsq:id="2010">')
    post_2010 = content[start : content.index("</post>", start) + len("</post>")]
    twice.write_text(content.replace("</disqus>", post_2010 + "</disqus>"))
    with pytest.raises(CommandError, match="post 2010 appears twice in the file"):
        run("import_disqus", twice)
    assert nothing_written(articles_before=2)


def test_a_file_that_is_not_a_disqus_export_is_refused():
    with pytest.raises(CommandError, match="is not a Disqus export: its root element is <rss>"):
        run("import_disqus", WORDPRESS)


def test_a_reply_whose_parent_is_missing_becomes_a_top_level_comment_and_is_reported(
    articles,
):
    output = run("import_disqus", DATA / "disqus-missing-parent.xml")
    orphan = comment("A reply to a post that is not in the export.")
    assert orphan.parent is None and orphan.thread_id == orphan.pk
    assert comment("A reply to the orphan.").parent == orphan
    assert (
        "imported as top-level comments, the comment it replies to is not in the file: "
        "1 (post 3001)" in output
    )


def test_replies_that_form_a_cycle_are_skipped_and_their_replies_moved_to_the_top(articles):
    output = run("import_disqus", DATA / "disqus-cycle.xml")
    assert "skipped, its replies form a cycle: 3 (post 4002, post 4003, post 4005)" in output
    assert set(Comment.objects.values_list("body", flat=True)) == {
        "A fine root.",
        "Caught in the loop.",
    }
    assert comment("Caught in the loop.").parent is None


@pytest.mark.parametrize(
    ("name", "named"),
    [("disqus-missing-parent.xml", "post 3001"), ("disqus-cycle.xml", "post 4002")],
)
def test_strict_stops_on_missing_parents_and_cycles_naming_the_posts(articles, name, named):
    with pytest.raises(CommandError, match=f"--strict.*{named}"):
        run("import_disqus", DATA / name, "--strict")
    assert nothing_written(articles_before=2)


# WordPress


def test_wordpress_comments_keep_their_parents_five_levels_deep_even_listed_before_them(
    articles,
):
    run("import_wordpress", WORDPRESS)
    chain = [comment(body) for body in ("First line", "Second", "Third", "Fourth", "Fifth")]
    assert chain[0].parent is None
    for parent, reply in zip(chain, chain[1:], strict=False):
        assert reply.parent_id == parent.pk
        assert reply.thread_id == chain[0].pk
    assert {c.article.slug for c in chain} == {"council-vote"}


def test_wordpress_statuses_become_ours(articles):
    run("import_wordpress", WORDPRESS)
    assert comment("First line").status == Comment.Status.APPROVED
    pending = comment("Fifth level.")
    assert pending.status == Comment.Status.PENDING
    assert pending.held_for == [{"rule": "imported", "detail": "awaiting moderation in WordPress"}]
    assert comment("Buy [watches]").status == Comment.Status.SPAM
    assert comment("Something rude.").status == Comment.Status.REMOVED
    assert Article.objects.get(slug="council-vote").comment_count == 4


def test_moderators_see_why_an_imported_comment_is_held(articles, admin_client):
    run("import_wordpress", WORDPRESS)
    queue = admin_client.get(reverse("admin:comments_comment_changelist"))
    assert "Held where it came from: awaiting moderation in WordPress" in queue.text


def test_wordpress_pingbacks_and_trackbacks_are_skipped_with_the_reason(articles):
    output = run("import_wordpress", WORDPRESS, "--create-missing")
    assert "skipped, pingbacks and trackbacks are not comments: 2 (comment 108, comment 302)" in (
        output
    )
    assert not Comment.objects.filter(guest_name__in=["Other Blog", "Ping"]).exists()


def test_wordpress_newlines_become_line_breaks_and_paragraphs(articles):
    run("import_wordpress", WORDPRESS)
    assert comment("First line").body == (
        "First line\nsecond line with [a link](https://example.org/?q=1&r=2) & an ampersand\n\n"
        "A new paragraph with **strong** words."
    )


def test_wordpress_dates_are_read_from_the_gmt_date(articles):
    run("import_wordpress", WORDPRESS)
    assert comment("First line").created_at == datetime(2019, 5, 4, 10, 0, tzinfo=UTC)


def test_wordpress_authors_are_guests_with_their_names(articles):
    run("import_wordpress", WORDPRESS)
    first = comment("First line")
    assert (first.user, first.guest_name, first.guest_email) == (
        None,
        "Zoë Ångström",
        "zoe@example.net",
    )
    assert comment("Fifth level.").guest_name == "李小龍"


def test_wordpress_create_missing_names_the_draft_after_the_post_name(articles):
    run("import_wordpress", WORDPRESS, "--create-missing")
    draft = Article.objects.get(slug="night-trains-return")
    assert (draft.status, draft.headline) == (Article.Status.DRAFT, "Night trains return")
    assert draft.comments.get().body == "Finally, a sleeper to Vienna."


def test_running_the_wordpress_import_twice_imports_nothing_new(articles):
    run("import_wordpress", WORDPRESS, "--create-missing")
    output = run("import_wordpress", WORDPRESS, "--create-missing")
    assert "Comments: 0 imported, 8 already there, 2 skipped." in output
    assert Comment.objects.count() == 8


# Newsboard's own JSON file


@pytest.fixture
def discussion():
    """Comments in every shape the file must carry: members, guests, an erased author,
    a deleted and a removed comment, an edit, three levels."""
    member = UserFactory(username="mia", display_name="Mia Member")
    leaving = UserFactory(username="leaving")
    article = ArticleFactory(slug="council-vote", headline="Council votes for the bridge")
    root = post(article, "A guest's *first* word.", name="Zoë Ångström", email="zoe@example.net")
    reply = post(article, "A member replies.", parent=root, user=member)
    post(article, "Third level.", parent=reply, name="Ana", email="ana@example.net")
    gone = post(article, "Kept after my account is gone.", user=leaving)
    erasure.erase_author(leaving, remove_comments=False)
    withdrawn = post(article, "Withdrawn.", name="Sam", email="sam@example.net")
    moderation.set_status(Comment.objects.filter(pk=withdrawn.pk), Comment.Status.DELETED)
    rude = post(article, "Rude.", parent=root, name="Troll", email="troll@example.net")
    moderation.set_status(Comment.objects.filter(pk=rude.pk), Comment.Status.REMOVED)
    Comment.objects.filter(pk=reply.pk).update(edited_at=reply.created_at.replace(microsecond=0))
    other = ArticleFactory(slug="harbour-festival")
    post(other, "Great fireworks.", name="Tom", email="tom@example.net")
    return {"member": member, "article": article, "gone": gone}


def shape(text):
    """The file with each comment's id replaced by its position, so renumbered ids compare."""
    data = json.loads(text)
    for article in data["articles"]:
        position = {c["id"]: n for n, c in enumerate(article["comments"])}
        for c in article["comments"]:
            c["id"], c["parent"] = position[c["id"]], position.get(c["parent"])
    return data


def test_export_writes_the_documented_format_without_passwords(discussion):
    text = export()
    data = json.loads(text)
    assert (data["format"], data["version"]) == ("newsboard-comments", 1)
    article = data["articles"][0]
    assert set(article) == {"slug", "headline", "url", "published_at", "comments"}
    assert article["url"].endswith("/articles/council-vote/")
    by_body = {c["body"]: c for c in article["comments"]}
    reply = by_body["A member replies."]
    assert set(reply) == {"id", "parent", "author", "body", "status", "created_at", "edited_at"}
    assert reply["author"] == {
        "name": "Mia Member",
        "email": discussion["member"].email,
        "account": "mia",
    }
    assert reply["parent"] == by_body["A guest's *first* word."]["id"]
    assert by_body["Kept after my account is gone."]["author"] == {
        "name": None,
        "email": None,
        "account": None,
    }
    assert by_body["Withdrawn."]["status"] == "deleted"
    assert "password" not in text and discussion["member"].password not in text


def test_export_of_one_article_holds_only_its_comments(discussion):
    data = json.loads(export("--article", "harbour-festival"))
    assert [a["slug"] for a in data["articles"]] == ["harbour-festival"]
    assert [c["body"] for c in data["articles"][0]["comments"]] == ["Great fireworks."]


def test_export_of_an_unknown_article_is_an_error(discussion):
    with pytest.raises(CommandError, match="No article with the slug nowhere"):
        export("--article", "nowhere")


def test_a_round_trip_through_a_fresh_database_loses_nothing(discussion, tmp_path):
    first = export()
    (tmp_path / "comments.json").write_text(first)
    Comment.objects.all().delete()
    Article.objects.all().delete()
    run("import_comments", tmp_path / "comments.json", "--create-missing", "--keep-ids")
    assert export() == first
    assert Article.objects.get(slug="council-vote").status == Article.Status.DRAFT


def test_importing_beside_other_comments_renumbers_them_and_keeps_the_threads(discussion, tmp_path):
    first = export()
    (tmp_path / "comments.json").write_text(first)
    Comment.objects.all().delete()
    Article.objects.all().delete()
    ArticleFactory(slug="unrelated")
    post(Article.objects.get(slug="unrelated"), "Already here.")
    run("import_comments", tmp_path / "comments.json", "--create-missing")
    assert shape(export("--article", "council-vote", "--article", "harbour-festival")) == shape(
        first
    )


def test_importing_the_comments_file_twice_imports_nothing_new(discussion, tmp_path):
    (tmp_path / "comments.json").write_text(export())
    output = run("import_comments", tmp_path / "comments.json")
    assert "Comments: 0 imported, 7 already there, 0 skipped." in output
    assert Comment.objects.count() == 7


def test_comments_by_accounts_missing_here_become_guest_comments(discussion, tmp_path):
    (tmp_path / "comments.json").write_text(export())
    Comment.objects.all().delete()
    discussion["member"].delete()
    output = run("import_comments", tmp_path / "comments.json")
    reply = comment("A member replies.")
    assert (reply.user, reply.guest_name) == (None, "Mia Member")
    assert "1 comment(s) by 1 account(s) that are not on this site (mia)" in output


def test_keep_ids_refuses_ids_that_other_comments_use(discussion, tmp_path):
    (tmp_path / "comments.json").write_text(export("--article", "harbour-festival"))
    Comment.objects.filter(article__slug="harbour-festival").delete()
    taken = Comment.objects.first()
    data = json.loads((tmp_path / "comments.json").read_text())
    data["articles"][0]["comments"][0]["id"] = taken.pk
    (tmp_path / "comments.json").write_text(json.dumps(data))
    with pytest.raises(CommandError, match=f"already used by other comments here \\({taken.pk}\\)"):
        run("import_comments", tmp_path / "comments.json", "--keep-ids")


def test_import_comments_refuses_a_file_of_another_format(tmp_path):
    (tmp_path / "other.json").write_text('{"comments": []}')
    with pytest.raises(CommandError, match="is not a Newsboard comments file"):
        run("import_comments", tmp_path / "other.json")


def test_import_comments_names_the_comment_with_a_bad_field(discussion, tmp_path):
    data = json.loads(export())
    data["articles"][0]["comments"][1]["status"] = "lost"
    (tmp_path / "comments.json").write_text(json.dumps(data))
    with pytest.raises(CommandError, match=r"articles\[0\]\.comments\[1\] \(id \d+\): “lost”"):
        run("import_comments", tmp_path / "comments.json")
