"""The OpenAPI 3 document of ``/api/v1`` (kept beside the routes it describes)."""

from __future__ import annotations

from blueprints.api import openapi_bookings
from matching import RIASEC, SUBJECTS

_ERROR = {"$ref": "#/components/schemas/Error"}


def _list_of(item_ref: str) -> dict:
    return {
        "type": "object",
        "required": ["items", "total", "limit", "offset"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": item_ref}},
            "total": {"type": "integer"},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
        },
    }


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


_PAGING = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
]

OPENAPI = {
    "openapi": "3.0.3",
    "info": {
        "title": "Профмаршрут API",
        "version": "1",
        "description": "Professions, tours and class bookings of the region's industrial tourism.",
    },
    "servers": [{"url": "/api/v1"}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["code", "message"],
                        "properties": {
                            "code": {"type": "string"},
                            "message": {"type": "string"},
                            "fields": {
                                "type": "object",
                                "additionalProperties": {"type": "string"},
                            },
                        },
                    }
                },
            },
            "Profession": {
                "type": "object",
                "required": ["slug", "title", "sphere", "demand"],
                "properties": {
                    "slug": {"type": "string"},
                    "title": {"type": "string"},
                    "title_en": {
                        "type": ["string", "null"],
                        "description": "O*NET occupation title of its first O*NET code",
                    },
                    "sphere": {"type": "string"},
                    "summary": {"type": "string"},
                    "demand": {"type": "string", "enum": ["high", "medium", "low"]},
                    "salary": {"type": "object"},
                    "riasec": {"type": "object"},
                    "subjects": {"type": "array", "items": {"type": "string"}},
                },
            },
            "RecommendationRequest": {
                "type": "object",
                "description": "At least one of interests, subjects, riasec.",
                "properties": {
                    "interests": {"type": "string", "maxLength": 2000},
                    "subjects": {"type": "array", "items": {"type": "string", "enum": SUBJECTS}},
                    "riasec": {
                        "type": "object",
                        "properties": {
                            a: {"type": "number", "minimum": 0, "maximum": 1} for a in RIASEC
                        },
                        "additionalProperties": False,
                    },
                    "age": {"type": "integer", "minimum": 6, "maximum": 99},
                    "limit": {"type": "integer", "minimum": 1, "maximum": 20},
                },
            },
            "Recommendations": {
                "type": "object",
                "required": ["professions", "tours"],
                "properties": {
                    "professions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["slug", "title", "score", "demand", "reasons"],
                            "properties": {
                                "slug": {"type": "string"},
                                "title": {"type": "string"},
                                "score": {"type": "number"},
                                "demand": {"type": "string"},
                                "reasons": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    },
                    "tours": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "title", "enterprise", "score", "next_session"],
                            "properties": {
                                "id": {"type": "integer"},
                                "title": {"type": "string"},
                                "enterprise": {"type": "object"},
                                "score": {"type": "number"},
                                "next_session": {
                                    "type": "object",
                                    "properties": {
                                        "id": {"type": "integer"},
                                        "starts_at": {"type": "string"},
                                        "seats_left": {"type": "integer"},
                                    },
                                },
                                "reasons": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    },
                },
            },
            "Class": {
                "type": "object",
                "required": ["id", "name", "grade", "headcount"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "grade": {"type": "integer"},
                    "headcount": {
                        "type": "integer",
                        "description": "the larger of joined and expected_size",
                    },
                    "joined": {"type": "integer", "description": "students who joined"},
                    "expected_size": {"type": "integer", "nullable": True},
                },
            },
        },
    },
    "paths": {
        "/professions": {
            "get": {
                "summary": "List professions",
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {"name": "sphere", "in": "query", "schema": {"type": "string"}},
                    *_PAGING,
                ],
                "responses": {
                    "200": {
                        "description": "A page",
                        **_json(_list_of("#/components/schemas/Profession")),
                    },
                    "422": {"description": "Bad paging", **_json(_ERROR)},
                },
            }
        },
        "/professions/{slug}": {
            "get": {
                "summary": "One profession",
                "parameters": [
                    {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "The profession",
                        **_json({"$ref": "#/components/schemas/Profession"}),
                    },
                    "404": {"description": "Unknown slug", **_json(_ERROR)},
                },
            }
        },
        "/recommendations": {
            "post": {
                "summary": "Professions and bookable tours for a student's profile",
                "requestBody": {
                    "required": True,
                    **_json({"$ref": "#/components/schemas/RecommendationRequest"}),
                },
                "responses": {
                    "200": {
                        "description": "Recommendations with reasons",
                        **_json({"$ref": "#/components/schemas/Recommendations"}),
                    },
                    "422": {"description": "A field is wrong; fields names it", **_json(_ERROR)},
                    "413": {"description": "Body over 4 MB", **_json(_ERROR)},
                },
            }
        },
        "/classes": {
            "get": {
                "summary": "The calling counsellor's classes",
                "security": [{"bearer": []}],
                "parameters": _PAGING,
                "responses": {
                    "200": {
                        "description": "A page",
                        **_json(_list_of("#/components/schemas/Class")),
                    },
                    "401": {"description": "No or bad token", **_json(_ERROR)},
                    "403": {"description": "Not a counsellor", **_json(_ERROR)},
                },
            }
        },
    },
}
OPENAPI["components"]["schemas"] |= openapi_bookings.SCHEMAS
OPENAPI["paths"] |= openapi_bookings.PATHS
