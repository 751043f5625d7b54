"""Flask-WTF's form and WTForms' field base classes, with their types: subclass them from here.

Neither library ships type information, so to mypy both classes are ``Any`` (and a class
cannot subclass ``Any`` under the configured checks). This module is their stub for what
the site uses: the type checker reads the declarations, the running code gets the
libraries' own classes (nothing is wrapped). Fields declared with WTForms' own field
classes stay ``Any``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Any

    from markupsafe import Markup

    class Field:
        """A bound form field (WTForms ``Field``)."""

        data: Any
        raw_data: list[Any] | None
        object_data: Any
        errors: Sequence[str]  # a tuple until the form is validated, then a list
        process_errors: list[Any]
        name: str
        short_name: str
        id: str
        type: str
        label: Any
        description: str
        flags: Any
        widget: Any
        render_kw: dict[str, Any] | None

        def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None: ...
        def __call__(self, **kwargs: Any) -> Markup: ...
        def process_formdata(self, valuelist: list[Any]) -> None: ...
        def _value(self) -> str: ...
        def gettext(self, string: str) -> str: ...

    class FlaskForm:
        """A form with CSRF protection that reads the request itself (Flask-WTF ``FlaskForm``)."""

        data: dict[str, Any]
        errors: dict[str | None, Any]
        form_errors: list[str]
        meta: Any

        def __init__(self, formdata: Any = ..., **kwargs: Any) -> None: ...
        def validate_on_submit(self, extra_validators: Any = None) -> bool: ...
        def validate(self, extra_validators: Any = None) -> bool: ...
        def is_submitted(self) -> bool: ...
        def hidden_tag(self, *fields: Any) -> Markup: ...
        def populate_obj(self, obj: object) -> None: ...
        def __getitem__(self, name: str) -> Field: ...
        def __contains__(self, name: str) -> bool: ...
        def __iter__(self) -> Iterator[Field]: ...

else:
    from flask_wtf import FlaskForm
    from wtforms import Field

__all__ = ["Field", "FlaskForm"]
