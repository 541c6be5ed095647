"""Compare a service's generated OpenAPI document with the contract: a list of readable differences.

Both documents are reduced to a canonical shape after resolving `$ref`s: operations (method + path),
parameters (location, name, required, type), status codes, media types, and for every schema its
JSON types, nullability, properties, required members, `additionalProperties: false`, enums/consts
and array items. Annotations (titles, descriptions, examples, formats, defaults) and numeric or
length bounds are not compared: schemathesis checks those against the contract itself.
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


def shape(schema: JSON) -> JSON:
    """The comparable skeleton of a (resolved) JSON schema."""
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
    found: dict[tuple[str, str], JSON] = {}
    for path, item in document.get("paths", {}).items():
        if not path.startswith(COMPARED_PATHS_PREFIXES):
            continue
        item = resolve(document, item)
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            if method in item:
                operation = dict(item[method])
                operation["parameters"] = [*shared, *operation.get("parameters", [])]
                found[(method.upper(), path)] = operation
    return found


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
        _compare(
            f"{label} requestBody",
            _content(expected.get("requestBody")),
            _content(actual.get("requestBody")),
            problems,
        )
        expected_codes = {str(code) for code in expected.get("responses", {})}
        actual_codes = {str(code) for code in actual.get("responses", {})}
        if expected_codes != actual_codes:
            problems.append(
                f"{label} status codes: missing {sorted(expected_codes - actual_codes)}, "
                f"unexpected {sorted(actual_codes - expected_codes)}"
            )
        for code in sorted(expected_codes & actual_codes):
            _compare(
                f"{label} {code}",
                _content(expected["responses"][code]),
                _content(
                    actual["responses"][str(code)]
                    if str(code) in actual["responses"]
                    else actual["responses"][int(code)]
                ),
                problems,
            )
    return problems
