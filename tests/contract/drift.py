"""Compare a service's generated OpenAPI document with the contract: a list of readable differences.

Both documents are reduced to a canonical shape after resolving `$ref`s: operations (method + path),
each operation's effective security (its own `security`, else the document's), parameters
(location, name, required, schema), the request body (required, media types, schemas), status
codes, and per response its headers (name, required, schema) and media types. For every schema:
JSON types, nullability, properties, required members, `additionalProperties: false`, enums/consts,
array items, numeric and length bounds, `format`, `pattern` and `default`.

Only annotations are left out (titles, descriptions, examples, readOnly/writeOnly), and spellings
that mean the same thing are normalised first (see `_constraints` and `shape`).
"""

from __future__ import annotations

from typing import Any

JSON = Any
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
COMPARED_PATHS_PREFIXES = ("/api/", "/health", "/ready")


def resolve(document: JSON, node: JSON, seen: frozenset[str] = frozenset()) -> JSON:
    """`node` with every local `$ref` inlined (a cycle is left as a marker)."""
    if isinstance(node, list):
        return [resolve(document, item, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node and isinstance(node["$ref"], str):
        ref = node["$ref"]
        if ref in seen:
            return {"$cycle": ref}
        target: JSON = document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        merged = {**target, **siblings} if isinstance(target, dict) else target
        return resolve(document, merged, seen | {ref})
    return {key: resolve(document, value, seen) for key, value in node.items()}


# Validation keywords compared as values; `format` and `default` are compared too, as a generated
# client or validator acts on them.
CONSTRAINT_KEYS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "default",
)


def _constraints(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema's validation keywords, with equivalent spellings made equal."""
    found = {key: schema[key] for key in CONSTRAINT_KEYS if key in schema}
    # OpenAPI 3.0 spells an exclusive bound `minimum: x, exclusiveMinimum: true`, 3.1 (JSON Schema
    # 2020-12) `exclusiveMinimum: x`: the same bound, so both become the 3.1 form.
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if found.get(exclusive) is True:
            if bound in found:
                found[exclusive] = found.pop(bound)
            else:
                del found[exclusive]
        elif found.get(exclusive) is False:
            del found[exclusive]
    # `uniqueItems: false` is the keyword's default: saying it changes nothing.
    if found.get("uniqueItems") is False:
        del found["uniqueItems"]
    return found


def shape(schema: JSON) -> JSON:
    """The comparable skeleton of a (resolved) JSON schema."""
    result = _shape(schema)
    if isinstance(result, dict) and isinstance(schema, dict) and "$cycle" not in result:
        constraints = _constraints(schema)
        # `default: null` on a property whose types exclude null is no default at all: a value
        # the schema itself rejects can never be assumed or sent. Pydantic writes it for every
        # optional field (`x: str | None = None` with the null branch removed); dropping it keeps
        # "optional, no default" equal however it is spelled. A usable default is still compared.
        if constraints.get("default", ...) is None and "null" not in result.get("types", []):
            del constraints["default"]
        result.update(constraints)
    return result


def _shape(schema: JSON) -> JSON:
    if not isinstance(schema, dict) or not schema:
        return "any"
    if "$cycle" in schema:
        return schema
    if "allOf" in schema:
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in [schema, *schema["allOf"]]:
            part_shape = shape({k: v for k, v in part.items() if k != "allOf"})
            if isinstance(part_shape, dict):
                merged["properties"].update(part_shape.get("properties", {}))
                merged["required"] = sorted(
                    set(merged["required"]) | set(part_shape.get("required", []))
                )
                if part_shape.get("closed"):
                    merged["closed"] = True
        return _object_shape(merged, closed=bool(merged.get("closed")))
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [shape(option) for option in schema[key]]
            nullable = {"types": ["null"]} in options
            rest = [option for option in options if option != {"types": ["null"]}]
            if len(rest) == 1 and isinstance(rest[0], dict):
                single = dict(rest[0])
                if nullable:
                    single["types"] = sorted({*single.get("types", []), "null"})
                return single
            return {key: sorted(repr(option) for option in options)}
    types = schema.get("type")
    type_set = set(types) if isinstance(types, list) else ({types} if types else set())
    if schema.get("nullable") is True:
        type_set.add("null")
    if "const" in schema:
        return {"types": sorted(type_set) or ["any"], "enum": [schema["const"]]}
    if "enum" in schema:
        return {"types": sorted(type_set) or ["any"], "enum": sorted(schema["enum"], key=repr)}
    if "properties" in schema or "object" in type_set:
        closed = schema.get("additionalProperties") is False
        result = _object_shape(
            {
                "properties": {k: shape(v) for k, v in schema.get("properties", {}).items()},
                "required": sorted(schema.get("required", [])),
            },
            closed=closed,
        )
        result["types"] = sorted(type_set | {"object"})
        return result
    if "array" in type_set:
        return {"types": sorted(type_set), "items": shape(schema.get("items", {}))}
    return {"types": sorted(type_set) or ["any"]}


def _object_shape(data: dict[str, Any], *, closed: bool) -> dict[str, Any]:
    return {
        "types": ["object"],
        "properties": {k: data["properties"][k] for k in sorted(data["properties"])},
        "required": sorted(data["required"]),
        "closed": closed,
    }


def operations(document: JSON) -> dict[tuple[str, str], JSON]:
    """Every compared operation, resolved, with shared parameters and effective security."""
    found: dict[tuple[str, str], JSON] = {}
    schemes = resolve(document, document.get("components", {}).get("securitySchemes", {}))
    for path, item in document.get("paths", {}).items():
        if not path.startswith(COMPARED_PATHS_PREFIXES):
            continue
        item = resolve(document, item)
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            if method in item:
                operation = dict(item[method])
                operation["parameters"] = [*shared, *operation.get("parameters", [])]
                requirements = operation.get("security", document.get("security", []))
                operation["security"] = _security(requirements, schemes)
                found[(method.upper(), path)] = operation
    return found


def _security(requirements: JSON, schemes: JSON) -> list[str]:
    """The alternatives that satisfy an operation, by what each scheme is (not by its name, which
    is a local label): "anonymous" for an empty requirement (or none at all)."""
    alternatives = set()
    for requirement in requirements or [{}]:
        parts = []
        for name, scopes in sorted(requirement.items()):
            scheme = schemes.get(name)
            if not isinstance(scheme, dict):
                parts.append(f"undefined scheme {name!r}")
                continue
            kind = scheme.get("type")
            if kind == "oauth2":
                flows = ", ".join(
                    f"{flow} tokenUrl={spec.get('tokenUrl')}"
                    for flow, spec in sorted(scheme.get("flows", {}).items())
                )
                detail = f"oauth2({flows})"
            elif kind == "http":
                detail = f"http({str(scheme.get('scheme', '')).lower()})"
            elif kind == "apiKey":
                detail = f"apiKey({scheme.get('in')} {scheme.get('name')})"
            else:
                detail = str(kind)
            if scopes:
                detail += f" scopes={sorted(scopes)}"
            parts.append(detail)
        alternatives.add(" + ".join(parts) or "anonymous")
    return sorted(alternatives)


def _parameters(operation: JSON) -> dict[tuple[str, str], JSON]:
    result = {}
    for parameter in operation.get("parameters", []):
        location = parameter.get("in")
        if location == "cookie" or (
            location == "header" and parameter["name"].lower() == "authorization"
        ):
            continue
        name = parameter["name"].lower() if location == "header" else parameter["name"]
        result[(location, name)] = {
            "required": bool(parameter.get("required", False)),
            "schema": shape(parameter.get("schema", {})),
        }
    return result


def _headers(response: JSON) -> dict[str, JSON]:
    # Content-Type in `headers` is ignored by OpenAPI itself; header names are case-insensitive.
    return {
        name.lower(): {
            "required": bool(header.get("required", False)),
            "schema": shape(header.get("schema", {})),
        }
        for name, header in (response or {}).get("headers", {}).items()
        if name.lower() != "content-type"
    }


def _request_body(operation: JSON) -> dict[str, JSON]:
    body = operation.get("requestBody") or {}
    return {"required": bool(body.get("required", False)), "content": _content(body)}


def _content(node: JSON) -> dict[str, JSON]:
    return {
        media.split(";")[0].strip().lower(): shape(body.get("schema", {}))
        for media, body in (node or {}).get("content", {}).items()
    }


def _compare(label: str, expected: JSON, actual: JSON, problems: list[str]) -> None:
    if expected == actual:
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in actual:
                problems.append(f"{label}: missing {key!r} (contract: {expected[key]!r})")
            elif key not in expected:
                problems.append(f"{label}: unexpected {key!r} (service: {actual[key]!r})")
            else:
                _compare(f"{label}.{key}", expected[key], actual[key], problems)
        return
    problems.append(f"{label}: contract {expected!r} != service {actual!r}")


def differences(contract: JSON, generated: JSON) -> list[str]:
    """Every way `generated` drifts from `contract`; empty when compatible."""
    problems: list[str] = []
    expected_ops, actual_ops = operations(contract), operations(generated)
    for key in sorted(set(expected_ops) - set(actual_ops)):
        problems.append(f"{key[0]} {key[1]}: missing from the service's document")
    for key in sorted(set(actual_ops) - set(expected_ops)):
        problems.append(f"{key[0]} {key[1]}: not in the contract")
    for key in sorted(set(expected_ops) & set(actual_ops)):
        label = f"{key[0]} {key[1]}"
        expected, actual = expected_ops[key], actual_ops[key]
        _compare(f"{label} parameters", _parameters(expected), _parameters(actual), problems)
        if expected["security"] != actual["security"]:
            problems.append(
                f"{label} security: contract {expected['security']} != service {actual['security']}"
            )
        _compare(f"{label} requestBody", _request_body(expected), _request_body(actual), problems)
        expected_codes = {str(code) for code in expected.get("responses", {})}
        actual_codes = {str(code) for code in actual.get("responses", {})}
        if expected_codes != actual_codes:
            problems.append(
                f"{label} status codes: missing {sorted(expected_codes - actual_codes)}, "
                f"unexpected {sorted(actual_codes - expected_codes)}"
            )
        actual_responses = {str(code): value for code, value in actual.get("responses", {}).items()}
        for code in sorted(expected_codes & actual_codes):
            expected_response = expected["responses"][code]
            actual_response = actual_responses[code]
            _compare(
                f"{label} {code}",
                _content(expected_response),
                _content(actual_response),
                problems,
            )
            _compare(
                f"{label} {code} headers",
                _headers(expected_response),
                _headers(actual_response),
                problems,
            )
    return problems
