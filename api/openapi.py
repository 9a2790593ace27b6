"""The OpenAPI 3.1 description, generated from the route table, the very pydantic models that
validate requests and the parameters ``api.params`` parses, so they can never disagree."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from api.params import MAX_LENGTH, NUMBER, QUERY
from api.routes import ROUTES, Route

_PARAM = re.compile(r"{(\w+)}")
# Questions posted because they do not fit a query: reads, which no Idempotency-Key concerns.
READS = frozenset({"publicLookup", "dtiWhatIf"})
PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "case": {"type": "string", "description": "which case of the rule was refused"},
        "vi": {"type": "string", "description": "the refusal in Vietnamese"},
        "en": {"type": "string", "description": "the refusal in English"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def _schema(model: type[BaseModel], components: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _operation(route: Route, components: dict[str, Any]) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": NUMBER.schema()
            if name == "n"
            else {"type": "string", "minLength": 1, "maxLength": MAX_LENGTH},
        }
        for name in _PARAM.findall(route.path)
    ]
    parameters += [
        {"name": spec.name, "in": "query", "required": False, "schema": spec.schema()}
        for spec in (QUERY.get(route.path, ()) if route.method == "GET" else ())
    ]
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    responses: dict[str, Any] = {
        str(route.status): {
            "description": "OK",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        "default": {"description": "A problem (RFC 9457)", "content": problem},
    }
    if route.operation == "signOut":
        responses = {"204": {"description": "Revoked"}, "default": responses["default"]}
    if route.operation == "petitionsLienThong":
        responses[str(route.status)] = {
            "description": "JSON Lines: a batch header, then a record a line (docs/lien-thong.md)",
            "content": {"application/jsonl": {"schema": {"type": "string"}}},
        }
    if route.path.endswith(".pdf"):
        responses[str(route.status)] = {
            "description": "PDF in the form of Nghị định 30/2020/NĐ-CP (docs/documents.md)",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    if route.operation == "metrics":
        responses[str(route.status)] = {
            "description": "Prometheus text",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    operation: dict[str, Any] = {
        "operationId": route.operation,
        "summary": route.summary,
        "parameters": parameters,
        "responses": responses,
    }
    if route.roles is not None:
        operation["security"] = [{"bearer": []}]
        operation["x-roles"] = sorted(r.value for r in route.roles)
    else:
        operation["security"] = []
    if route.body is not None:
        operation["requestBody"] = {
            "required": route.body.__name__ != "Empty",
            "content": {"application/json": {"schema": _schema(route.body, components)}},
        }
        if route.method == "POST" and route.operation not in READS:
            parameters.append(
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                }
            )
        if route.path.startswith(("/api/directives/{ref}/", "/api/petitions/{receipt}/")):
            parameters.append(
                {
                    "name": "If-Match",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "pattern": r'^(W/)?"\d+"$'},
                }
            )
    return operation


def document() -> dict[str, Any]:
    components: dict[str, Any] = {"Problem": PROBLEM}
    paths: dict[str, Any] = {}
    for route in ROUTES:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, components)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Thucthi",
            "version": "0.1.0",
            "description": "Event-sourced executive governance of directives and their execution.",
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
