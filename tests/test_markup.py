"""Markdown that keeps its meaning: what a writer marks up is what a reader sees, within
the page's rules (one h1 per page, no third-party images, no inline styles, every link
marked as user content)."""

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threads import markup
from threads.markup import LINK_REL, render_markdown


class Elements(HTMLParser):
    """Every start tag of a fragment with its attributes, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser.tags


def test_strikethrough_shows_struck_out():
    assert render_markdown("~~old price~~ new price") == "<p><s>old price</s> new price</p>\n"


def test_a_table_renders_as_a_table_without_inline_styles():
    html = render_markdown("| name | n |\n|:-----|--:|\n| tabs | *3* |\n| spaces | 4 |")
    assert html == (
        "<table>\n<thead>\n<tr>\n<th>name</th>\n<th>n</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>tabs</td>\n<td><em>3</em></td>\n</tr>\n"
        "<tr>\n<td>spaces</td>\n<td>4</td>\n</tr>\n</tbody>\n</table>\n"
    )
    assert "style" not in html


@pytest.mark.parametrize(
    "source, tag",
    [("# Title", "h3"), ("## Part", "h4"), ("### Sub", "h5"), ("#### Deep", "h6"),
     ("##### Deeper", "h6"), ("###### Deepest", "h6"), ("Setext\n===", "h3"),
     ("Setext\n---", "h4")],
)  # fmt: skip
def test_headings_move_below_the_pages_own(source, tag):
    text = source.lstrip("# ").split("\n")[0]
    assert render_markdown(source) == f"<{tag}>{text}</{tag}>\n"


def test_a_heading_written_as_html_stays_text():
    assert render_markdown("<h1>big</h1>") == "<p>&lt;h1&gt;big&lt;/h1&gt;</p>\n"


def test_an_image_is_a_link_to_it_reading_its_alt_text():
    html = render_markdown('![a *cat* photo](https://example.com/cat.png "Tom")')
    assert html == (
        '<p><a href="https://example.com/cat.png" title="Tom" rel="nofollow ugc noopener">'
        "a <em>cat</em> photo</a></p>\n"
    )


def test_an_image_without_alt_text_reads_its_address():
    html = render_markdown("see ![](https://example.com/a%20b.png?x=1&y=2)")
    assert html == (
        '<p>see <a href="https://example.com/a%20b.png?x=1&amp;y=2" rel="nofollow ugc noopener">'
        "https://example.com/a b.png?x=1&amp;y=2</a></p>\n"
    )


def test_an_image_inside_a_link_is_its_text_in_that_link():
    html = render_markdown("[![logo](https://img.example/l.png) home](https://example.com/)")
    link = '<a href="https://example.com/" rel="nofollow ugc noopener">logo home</a>'
    assert html == f"<p>{link}</p>\n"


def test_an_image_in_an_images_alt_text_is_text_too():
    html = render_markdown("![![inner](https://i.example/x)](https://o.example/y)")
    assert html == '<p><a href="https://o.example/y" rel="nofollow ugc noopener">inner</a></p>\n'


def test_an_image_with_a_forbidden_address_links_nowhere():
    # The parser refuses script addresses outright, so the source shows as written.
    assert render_markdown("![x](javascript:alert(1))") == "<p>![x](javascript:alert(1))</p>\n"
    html = render_markdown("![pixel](data:image/png;base64,AAAA)")
    assert html == '<p><a rel="nofollow ugc noopener">pixel</a></p>\n'


MIXED = (
    "# t\n\n![i](http://a.example/i.png) [l](https://b.example) https://c.example "
    "<https://d.example>\n\n| ![x](/x) | [y](/y) |\n|---|---|\n| www.example.com | ~~z~~ |\n\n"
    "> ## q ![](//f.example/p.gif)\n"
)


def test_no_image_no_page_level_heading_no_style_and_every_link_is_user_content():
    tags = elements(render_markdown(MIXED))
    names = [tag for tag, _ in tags]
    assert "img" not in names and "h1" not in names and "h2" not in names
    assert {"table", "th", "td", "s", "h3", "h4", "blockquote"} <= set(names)
    links = [attrs for tag, attrs in tags if tag == "a"]
    assert len(links) == 8
    assert all(attrs["rel"] == LINK_REL for attrs in links)
    assert all(set(attrs) <= {"href", "title", "rel"} for _, attrs in tags)


def full_render(text: str) -> str:
    return markup.nh3.clean(
        markup._markdown.render(text),
        tags=markup.ALLOWED_TAGS,
        attributes=markup.ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=markup.LINK_REL,
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ09é ,;!?'\"()-.|~#[]:*\n")), max_size=30))
def test_the_plain_line_shortcut_matches_the_parser_with_the_new_rules(text):
    assert render_markdown(text) == (full_render(text) if text else "")


def test_a_plain_line_takes_the_shortcut_unchanged():
    assert render_markdown("Tabs, not spaces (really)!") == "<p>Tabs, not spaces (really)!</p>\n"
