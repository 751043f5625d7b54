"""Helpers of the API tests: a round with a published result, and validation against the OpenAPI document."""

from __future__ import annotations

from typing import Any

from jsonschema.validators import Draft202012Validator
from referencing import Registry, Resource

from tests import factories as f
from tests import factories_results as fr
from wijkfonds.extensions import db
from wijkfonds.models import AllocationRun, Role, Round
from wijkfonds.services.results import publication


def publish(rnd: Round, rule: str = "greedy") -> AllocationRun:
    """Run ``rule`` over the closed round and publish it."""
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, rule=rule)
    publication.publish(run, reason="", actor=staff)
    db.session.commit()
    return run


def schema_validator(document: dict[str, Any], name: str) -> Draft202012Validator:
    """A validator of one component schema of the OpenAPI 3.1 document (its $refs resolved in the document)."""
    registry: Registry = Registry().with_resource("urn:openapi", Resource.opaque(document))
    schema = {"$ref": f"urn:openapi#/components/schemas/{name}"}
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def response_schema(document: dict[str, Any], path: str) -> str:
    """The component name of a path's 200 answer."""
    ref = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    return ref.rsplit("/", 1)[1]
