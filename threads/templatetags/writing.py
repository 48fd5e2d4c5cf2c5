"""``{% load writing %}``: the writing aids (``threads.writing_aids``) for templates that
lay out a form field by field: the "Preview" button, the preview and the Markdown help."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from threads import writing_aids

register = template.Library()


@register.simple_tag
def preview_button() -> SafeString:
    return mark_safe(writing_aids.preview_button_html())


@register.simple_tag
def markdown_help() -> SafeString:
    return mark_safe(writing_aids.markdown_help_html())


@register.simple_tag
def preview(text) -> SafeString:
    """The preview of ``text``, or nothing when no preview was asked for (None)."""
    return mark_safe("" if text is None else writing_aids.preview_html(text))
