//! Attributes a builder defines only when it creates the service (`defineOnCreate`), through the
//! core's operations as the fronts call them.

use iox2js_core::{bridge, close, ErrorKind, Handle};
use serde_json::{json, Value};

mod support;
use support::isolated;

fn control(op: &str, handle: Handle, args: Value) -> Result<Value, iox2js_core::Error> {
    bridge::control(op, handle as f64, &args.to_string())
        .map(|out| serde_json::from_str(&out).unwrap())
}

const LAYOUT: &str = "v1 0123456789abcdef 1 value:u64@0";

fn u64_type() -> Value {
    json!({"variant": "fixedSize", "typeName": "u64", "size": 8, "alignment": 8})
}

fn open_pubsub(node: Handle, mode: &str, attributes: Value) -> Result<Handle, iox2js_core::Error> {
    let spec = json!({"name": "Core/Attributes", "mode": mode, "payload": u64_type(), "attributes": attributes});
    control("pubsub.serviceOpen", node, spec).map(|h| h.as_u64().unwrap())
}

fn attributes_of(service: Handle) -> Value {
    control("pubsub.serviceInfo", service, json!({})).unwrap()["attributes"].clone()
}

fn on_create() -> Value {
    json!([{"key": "layout", "value": LAYOUT}])
}

#[test]
fn create_defines_them() {
    let isolated = isolated("attributes");
    let service = open_pubsub(
        isolated.node,
        "create",
        json!({"defineOnCreate": on_create()}),
    )
    .unwrap();
    assert_eq!(
        attributes_of(service),
        json!([{"key": "layout", "value": LAYOUT}])
    );
}

#[test]
fn open_or_create_defines_them_with_the_other_definitions_when_it_creates() {
    let isolated = isolated("attributes");
    let attributes = json!({
        "define": [{"key": "zone", "value": "1"}],
        "require": [{"key": "level", "value": "high"}],
        "defineOnCreate": on_create(),
    });
    let service = open_pubsub(isolated.node, "openOrCreate", attributes.clone()).unwrap();
    assert_eq!(
        attributes_of(service),
        json!([
            {"key": "layout", "value": LAYOUT},
            {"key": "level", "value": "high"},
            {"key": "zone", "value": "1"},
        ])
    );
    let reopened = open_pubsub(isolated.node, "openOrCreate", attributes).unwrap();
    assert_eq!(attributes_of(reopened).as_array().unwrap().len(), 3);
}

#[test]
fn a_service_created_without_them_still_opens() {
    let isolated = isolated("attributes");
    let node = isolated.node;
    let plain = open_pubsub(
        node,
        "create",
        json!({"define": [{"key": "zone", "value": "1"}]}),
    )
    .unwrap();
    let opened = open_pubsub(node, "open", json!({"defineOnCreate": on_create()})).unwrap();
    let attributes =
        json!({"define": [{"key": "zone", "value": "1"}], "defineOnCreate": on_create()});
    let found = open_pubsub(node, "openOrCreate", attributes).unwrap();
    for service in [plain, opened, found] {
        assert_eq!(
            attributes_of(service),
            json!([{"key": "zone", "value": "1"}])
        );
    }
    // The ordinary definitions are still required of an existing service.
    let mismatch =
        json!({"define": [{"key": "zone", "value": "2"}], "defineOnCreate": on_create()});
    let error = open_pubsub(node, "openOrCreate", mismatch).unwrap_err();
    assert_eq!(error.kind, ErrorKind::IncompatibleAttributes);
    // A different type is still reported as before.
    let spec = json!({
        "name": "Core/Attributes", "mode": "openOrCreate",
        "payload": {"variant": "fixedSize", "typeName": "u32", "size": 4, "alignment": 4},
        "attributes": {"defineOnCreate": on_create()},
    });
    assert_eq!(
        control("pubsub.serviceOpen", node, spec).unwrap_err().kind,
        ErrorKind::IncompatibleTypes
    );
    close(plain);
}

#[test]
fn request_response_and_event_services_take_them_too() {
    let isolated = isolated("attributes");
    let node = isolated.node;
    let spec = json!({
        "name": "Core/Attributes", "mode": "openOrCreate",
        "requestPayload": u64_type(), "responsePayload": u64_type(),
        "attributes": {"defineOnCreate": on_create()},
    });
    let service = control("reqres.serviceOpen", node, spec.clone())
        .unwrap()
        .as_u64()
        .unwrap();
    let info = control("reqres.serviceInfo", service, json!({})).unwrap();
    assert_eq!(
        info["attributes"],
        json!([{"key": "layout", "value": LAYOUT}])
    );
    assert!(control("reqres.serviceOpen", node, spec).is_ok());

    let spec = json!({"name": "Core/Attributes", "mode": "openOrCreate", "attributes": {"defineOnCreate": on_create()}});
    let service = control("event.serviceOpen", node, spec)
        .unwrap()
        .as_u64()
        .unwrap();
    let info = control("event.serviceInfo", service, json!({})).unwrap();
    assert_eq!(
        info["attributes"],
        json!([{"key": "layout", "value": LAYOUT}])
    );
}
