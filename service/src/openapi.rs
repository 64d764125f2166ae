//! `GET /openapi.json`: an OpenAPI 3.1 document generated from the manifest, one path per
//! command with its arguments as the request schema.

use crate::manifest::{ArgSpec, CommandSpec, Manifest};
use serde_json::{Map, Value, json};

pub fn document(manifest: &Manifest) -> Value {
    let mut paths = Map::new();
    paths.insert(
        "/healthz".into(),
        json!({"get": {"summary": "Liveness: no authentication, no upstream request.", "security": [],
            "responses": {"200": {"description": "The service is up.", "content": {"application/json":
                {"schema": {"type": "object", "properties": {"status": {"const": "ok"}}}}}}}}}),
    );
    paths.insert(
        "/v1/manifest".into(),
        json!({"get": {"summary": "The integration's parameters and commands.",
            "responses": responses(json!({"type": "object"}))}}),
    );
    paths.insert(
        "/openapi.json".into(),
        json!({"get": {"summary": "This document.", "responses": responses(json!({"type": "object"}))}}),
    );
    paths.insert(
        "/v1/test-module".into(),
        json!({"post": {"summary": "Check connectivity and credentials.",
            "responses": responses(json!({"type": "object", "properties": {"ok": {"const": true}}}))}}),
    );
    if manifest.fetches_incidents {
        paths.insert(
            "/v1/fetch-incidents".into(),
            json!({"post": {
                "summary": "Fetch new incidents. The service keeps no state: send the last_run of the previous answer.",
                "requestBody": {"content": {"application/json": {"schema": {"type": "object",
                    "properties": {"last_run": {"type": ["object", "null"]}}}}}},
                "responses": responses(json!({"$ref": "#/components/schemas/FetchAnswer"}))}}),
        );
    }
    for command in &manifest.commands {
        paths.insert(format!("/v1/commands/{}", command.name), command_path(command));
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": manifest.display, "version": manifest.version, "description": manifest.description},
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                "description": "The service_token the service is configured with."}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
                    "required": ["kind", "message"], "properties": {
                        "kind": {"enum": ["invalid-argument", "not-found", "unauthorized", "upstream", "transport",
                            "internal", "method-not-allowed", "payload-too-large", "unavailable"]},
                        "message": {"type": "string"},
                        "argument": {"type": "string"}}}}},
                "Results": {"type": "object", "required": ["results"], "properties": {
                    "results": {"type": "array", "items": {"type": "object", "properties": {
                        "readable_output": {"type": "string"},
                        "outputs_prefix": {"type": ["string", "null"]},
                        "outputs_key_field": {"type": ["string", "null"]},
                        "outputs": {},
                        "raw_response": {},
                        "files": {"type": "array", "items": {"type": "object", "properties": {
                            "name": {"type": "string"}, "size": {"type": "integer"}, "sha256": {"type": "string"},
                            "content_base64": {"type": "string", "contentEncoding": "base64"}}}}}}},
                    "context": {"type": "object"}}},
                "FetchAnswer": {"type": "object", "required": ["incidents", "last_run"], "properties": {
                    "incidents": {"type": "array", "items": {"type": "object", "properties": {
                        "name": {"type": "string"}, "occurred": {"type": "string"}, "severity": {"type": "number"},
                        "type": {"type": ["string", "null"]}, "rawJSON": {"type": "string"}}}},
                    "last_run": {"type": "object"}}}
            }
        }
    })
}

fn command_path(command: &CommandSpec) -> Value {
    let mut properties = Map::new();
    for arg in &command.args {
        properties.insert(arg.name.clone(), arg_schema(arg));
    }
    let required: Vec<&str> = command.args.iter().filter(|a| a.required).map(|a| a.name.as_str()).collect();
    let mut summary = command.description.clone();
    if !command.aliases.is_empty() {
        summary.push_str(&format!(" Also accepted as: {}.", command.aliases.join(", ")));
    }
    json!({"post": {
        "operationId": command.name,
        "summary": summary,
        "deprecated": command.deprecated,
        "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
            "args": {"type": "object", "properties": properties, "required": required, "additionalProperties": false},
            "context": {"type": "object", "description": "The context; the answer holds it merged with the outputs."},
            "incident": {"type": "object", "description": "The incident the command runs for."}}}}}},
        "responses": responses(json!({"$ref": "#/components/schemas/Results"})),
        "x-context-outputs": command.outputs.iter().map(|o| json!({"contextPath": o.context_path,
            "type": o.value_type, "description": o.description})).collect::<Vec<_>>(),
    }})
}

/// Values may be strings, numbers or booleans (turned into text as XSOAR does); list
/// arguments also take a list, or comma-separated text.
fn arg_schema(arg: &ArgSpec) -> Value {
    let mut schema = json!({"description": arg.description, "type": ["string", "number", "boolean"]});
    if arg.is_array {
        schema["type"] = json!(["string", "number", "boolean", "array"]);
        schema["items"] = json!({"type": ["string", "number", "boolean"]});
        if !arg.possible_values.is_empty() {
            schema["items"]["enum"] = json!(arg.possible_values);
        }
    } else if !arg.possible_values.is_empty() {
        schema["enum"] = json!(arg.possible_values);
    }
    if let Some(default) = &arg.default_value {
        schema["default"] = json!(default);
    }
    schema
}

/// 200 with `schema`, and the error statuses every route may answer.
fn responses(schema: Value) -> Value {
    let error = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let with = |description: &str| {
        let mut e = error.clone();
        e["description"] = json!(description);
        e
    };
    json!({
        "200": {"description": "Done.", "content": {"application/json": {"schema": schema}}},
        "400": with("An argument or the body is not valid."),
        "401": with("No valid bearer token."),
        "404": with("Not found."),
        "413": with("The body is larger than 1 MiB."),
        "500": with("The integration failed."),
        "502": with("Code42 refused the credentials or answered with an error."),
        "503": with("The service is not configured."),
        "504": with("Code42 did not answer."),
    })
}
