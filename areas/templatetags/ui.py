"""Small filters for the shared layout."""

from django import template

from areas.account import lockout_duration as _lockout_duration
from areas.widgets import render_filter_fields

register = template.Library()


@register.filter
def lockout_duration(delta):
    return _lockout_duration(delta)


@register.filter
def filter_fields(form):
    """A list page's filter form, its fields in Bootstrap's markup (areas.widgets)."""
    return render_filter_fields(form)
