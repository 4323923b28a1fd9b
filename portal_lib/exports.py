"""Downloads of a public list as CSV or Excel: the page's own records, in the page's language.

A list's view passes the queryset its page shows (the same filters) and its columns; the
headings are lazy translations, rendered in the language the page is read in. Written with
tablib. A cell that a spreadsheet would read as a formula (text from a partner's form starting
with "=", "+", "-" or "@") is written as text, so opening a download runs nothing.
"""

import datetime
import decimal
from collections.abc import Callable
from typing import Any, NamedTuple

import tablib
from django.http import HttpResponse
from django.utils import translation

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The URL patterns' spelling of the formats a list downloads in ("export.csv", "export.xlsx").
FORMAT_PATTERN = "|".join(FORMATS)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Column(NamedTuple):
    """One column of a download: its heading (translatable) and the value of a row in it."""

    heading: Any
    value: Callable[[Any], Any]


def date_as_known(date, precision):
    """``date`` in ISO 8601 cut to ``precision`` ("day", "month", "quarter", "half", "year"):
    "2019-07-01", "2020-03", "2021-Q1", "2021-H2", "2019"; None without a date. The first day of
    a month that is all the sources give is not written as if that day were known."""
    if date is None:
        return None
    if precision == "year":
        return f"{date.year:04d}"
    if precision == "half":
        return f"{date.year:04d}-H{1 if date.month <= 6 else 2}"
    if precision == "quarter":
        return f"{date.year:04d}-Q{(date.month - 1) // 3 + 1}"
    if precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def joined(values):
    """Several values in one cell: "Mali; Senegal"."""
    return "; ".join(str(value) for value in values)


def cell(value):
    """``value`` as a cell: numbers and dates as they are, nothing as an empty cell, anything
    else as text that no spreadsheet evaluates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, decimal.Decimal, datetime.date)):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def dataset(rows, columns, title=""):
    """A tablib Dataset of ``rows`` under ``columns``' headings, in the active language."""
    data = tablib.Dataset(headers=[str(column.heading) for column in columns])
    # A sheet's name: at most 31 characters, none of []:*?/\ (Excel's rules).
    data.title = "".join(c for c in str(title) if c not in "[]:*?/\\")[:31] or "Sheet1"
    for row in rows:
        data.append([cell(column.value(row)) for column in columns])
    return data


def download(rows, columns, *, name, file_format, title=""):
    """The response that downloads ``rows`` as ``file_format`` ("csv" or "xlsx"), named
    ``<name>-<language>.<format>``. CSV starts with a byte-order mark: Excel then reads its
    accented letters as UTF-8."""
    data = dataset(rows, columns, title=title or name)
    if file_format == "csv":
        body = "\ufeff" + data.export("csv")
    elif file_format == "xlsx":
        body = data.export("xlsx")
    else:
        raise ValueError(f"No download format {file_format!r}.")
    response = HttpResponse(body, content_type=FORMATS[file_format])
    filename = f"{name}-{translation.get_language() or 'en'}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
