"""Small filters for the shared layout."""

from django import template

from areas.account import lockout_duration as _lockout_duration

register = template.Library()


@register.filter
def lockout_duration(delta):
    return _lockout_duration(delta)
