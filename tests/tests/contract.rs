//! The sandbox's Clerk answers are checked against Clerk's own OpenAPI schemas
//! (tests/fixtures/specs/clerk-bapi.json, cut from ../shared/vendor-specs by extract.py),
//! both as built and as served over HTTP.

use golive_sandbox::{clerk, scenario::LIVE_SECRET_KEY, Sandbox, Scenario};
use serde_json::{json, Value};

fn spec() -> Value {
    let text = include_str!("../fixtures/specs/clerk-bapi.json");
    openapi_to_json_schema(serde_json::from_str(text).unwrap())
}

/// OpenAPI 3.0's `nullable: true` is not JSON Schema: turn it into a `null` type.
fn openapi_to_json_schema(v: Value) -> Value {
    match v {
        Value::Object(mut m) => {
            if m.remove("nullable") == Some(Value::Bool(true)) {
                if let Some(Value::String(t)) = m.get("type").cloned() {
                    m.insert("type".into(), json!([t, "null"]));
                } else if let Some(r) = m.remove("$ref") {
                    return json!({"anyOf": [{"$ref": r}, {"type": "null"}]});
                }
            }
            Value::Object(
                m.into_iter()
                    .map(|(k, v)| (k, openapi_to_json_schema(v)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.into_iter().map(openapi_to_json_schema).collect()),
        other => other,
    }
}

fn validate(schema_name: &str, body: &Value) {
    let mut schema = json!({"$ref": format!("#/components/schemas/{schema_name}")});
    schema["components"] = spec()["components"].clone();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{schema_name}: {errors:#?}\n{body:#}");
}

#[test]
fn the_schemas_catch_a_wrong_body() {
    // Guards the guard: a body missing required fields must not validate.
    let mut schema = json!({"$ref": "#/components/schemas/Instance"});
    schema["components"] = spec()["components"].clone();
    let v = jsonschema::validator_for(&schema).unwrap();
    assert!(!v.is_valid(&json!({"object": "instance", "id": "ins_1"})));
    assert!(v.is_valid(&clerk::instance_body(&Scenario::named("live").unwrap())));
}

#[test]
fn every_fake_body_matches_its_schema() {
    for name in Scenario::ALL {
        let s = Scenario::named(name).unwrap();
        validate("Instance", &clerk::instance_body(&s));
        validate("Domains", &clerk::domains_body(&s));
    }
    validate("JWKS", &clerk::jwks_body());
    validate("ClerkErrors", &clerk::errors_body());
}

#[tokio::test]
async fn served_bodies_match_the_spec() {
    let sb = Sandbox::start(Scenario::named("live").unwrap())
        .await
        .unwrap();
    let client = reqwest::Client::new();
    for (path, schema) in [
        ("v1/instance", "Instance"),
        ("v1/domains", "Domains"),
        ("v1/jwks", "JWKS"),
    ] {
        let url = format!("http://{}/{path}", sb.clerk_api);
        let ok = client
            .get(&url)
            .bearer_auth(LIVE_SECRET_KEY)
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 200, "{path}");
        validate(schema, &ok.json().await.unwrap());

        let denied = client
            .get(&url)
            .bearer_auth("sk_live_nope")
            .send()
            .await
            .unwrap();
        assert_eq!(denied.status(), 401, "{path}");
        validate("ClerkErrors", &denied.json().await.unwrap());
    }
}
