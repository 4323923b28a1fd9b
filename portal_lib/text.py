"""Plain text helpers shared by the apps."""

import unicodedata


def sort_key(text):
    """``text`` as a list sorts it for a reader: capitals and accents aside ("Égypte" between
    "Djibouti" and "Espagne"), whatever the database's collation."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
