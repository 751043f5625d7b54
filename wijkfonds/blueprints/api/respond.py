"""How the API answers: JSON with a strong ETag (304 on If-None-Match), a cache header and CORS."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Response, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from wijkfonds.i18n.text import gettext as _

MAX_AGE = 60  # seconds: results and statuses change rarely; the ETag makes revalidation cheap
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "too_many_requests",
    500: "server_error",
}


def dumps(data: Any) -> bytes:
    """The JSON body: UTF-8, keys sorted, so equal data gives equal bytes (and the same ETag)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def cors(response: Response) -> Response:
    """Anyone's page may read the API (it is public and needs no cookie)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    return response


def json_response(data: Any, status: int = 200) -> Response:
    """``data`` as JSON with its ETag; 304 without a body when the client's copy is current."""
    body = dumps(data)
    response = Response(body, status=status, mimetype="application/json")
    response.set_etag(hashlib.sha256(body).hexdigest())
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    if status == 200:
        response.make_conditional(request)
    return cors(response)


def preflight() -> Response:
    """The answer to a CORS preflight (OPTIONS): which methods and headers a page may use."""
    response = Response(status=204)
    response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
    response.headers["Access-Control-Max-Age"] = "86400"
    response.headers["Allow"] = ALLOWED_METHODS
    return cors(response)


def error_body(status: int, message: str, parameter: str | None = None) -> dict[str, Any]:
    """The JSON of an error: status, a stable code, a readable message, and the parameter at fault."""
    error: dict[str, Any] = {"status": status, "code": CODES.get(status, "error"), "message": message}
    if parameter is not None:
        error["parameter"] = parameter
    return {"error": error}


def error_json(status: int, message: str, parameter: str | None = None) -> Response:
    """An error as JSON (never cached by shared caches)."""
    response = Response(dumps(error_body(status, message, parameter)), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    if status == 405:
        response.headers["Allow"] = ALLOWED_METHODS
    return cors(response)


def _message(error: HTTPException) -> str:
    if error.description != type(error).description and error.description:
        return str(error.description)  # a view's own words
    if isinstance(error, MethodNotAllowed):
        return _("De API kan alleen gelezen worden: gebruik GET.")
    if error.code == 404:
        return _("Dit adres bestaat niet in de API. Zie /api/v1/openapi.json voor alle adressen.")
    if error.code == 500:
        return _("Er ging iets mis aan onze kant. Probeer het later opnieuw.")
    return str(error.name)


def error_response(error: HTTPException) -> Response:
    """Any HTTP error under /api/v1 as JSON (unknown paths, wrong methods, a view's abort)."""
    return error_json(error.code or 500, _message(error))
