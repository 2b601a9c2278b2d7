from django import template

from apps.playbooks.diffs import diff_lines

register = template.Library()
register.filter("diff_lines", diff_lines)
