"""Contracts generated from a collaboration's terms: templates with a small placeholder syntax
(placeholders), the values they are filled with (terms), the built-in texts (defaults/) and the
PDF (pdf).

A template is never a Django or Jinja template: `{{ name }}` is replaced by the text of a
whitelisted value and everything else is printed as written, so a template can neither run
code nor reach a model's attributes.
"""
