"""Slugs that no other row uses yet."""

from django.utils.text import slugify


def free_slug(model, text, *, fallback, max_length=100, field="slug"):
    """``slugify(text)`` cut to ``max_length`` (``fallback`` when nothing is left), or the same
    with ``-2``, ``-3``… appended: the first that no row of ``model`` holds in ``field``.

    Uniqueness is checked, not reserved: the field's unique constraint remains the guard
    against two saves racing for the same slug."""
    base = slugify(text)[:max_length] or fallback
    slug, number = base, 2
    while model._default_manager.filter(**{field: slug}).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
