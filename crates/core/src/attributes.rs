//! Service attributes: key-value pairs a creator defines and an opener can require.

use iceoryx2::constants::{MAX_ATTRIBUTES, MAX_ATTRIBUTE_KEY_LENGTH, MAX_ATTRIBUTE_VALUE_LENGTH};
use iceoryx2::prelude::SemanticString;
use iceoryx2::service::attribute::{
    AttributeKey, AttributeSet, AttributeSpecifier, AttributeValue, AttributeVerifier,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorKind, Result};

/// A key with one value; a key may appear several times.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, TS)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

/// What a service builder asks for: `define` when it creates the service, `require` and
/// `require_keys` when it opens one (for open-or-create, the requirements are also what a newly
/// created service gets). `define_on_create` is defined whenever this builder creates the
/// service (create, or open-or-create finding none) but never required when opening, so
/// services created without it (by other languages) still open.
#[derive(Debug, Default, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttributesSpec {
    #[serde(default)]
    #[ts(as = "Option<Vec<KeyValue>>", optional)]
    pub define: Vec<KeyValue>,
    #[serde(default)]
    #[ts(as = "Option<Vec<KeyValue>>", optional)]
    pub require: Vec<KeyValue>,
    #[serde(default)]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub require_keys: Vec<String>,
    #[serde(default)]
    #[ts(as = "Option<Vec<KeyValue>>", optional)]
    pub define_on_create: Vec<KeyValue>,
}

/// Why iceoryx2 would refuse `text` as an attribute key or value: its fixed strings hold 1 to
/// `max` bytes of ASCII without NUL, and it reports every violation as the same error variant.
/// Messages quote `text` escaped (`{:?}`): a raw NUL cannot travel in a JS error message.
fn check_text(what: &str, text: &str, max: usize) -> Result<()> {
    let problem = if text.is_empty() {
        "is empty".to_string()
    } else if text.len() > max {
        format!("is {} bytes long, more than {max}", text.len())
    } else if let Some(c) = text.chars().find(|c| !c.is_ascii() || *c == '\0') {
        format!("contains {c:?}; only ASCII characters other than NUL are allowed")
    } else {
        return Ok(());
    };
    Err(Error::invalid_argument(format!(
        "attribute {what} {text:?} {problem}"
    )))
}

fn key(text: &str) -> Result<AttributeKey> {
    check_text("key", text, MAX_ATTRIBUTE_KEY_LENGTH)?;
    AttributeKey::new(text.as_bytes()).map_err(|e| {
        Error::invalid_argument(crate::error::invalid_name(
            "attribute key",
            crate::error::NameRules::AttributeKey,
            text,
            &e,
        ))
    })
}

fn value(text: &str) -> Result<AttributeValue> {
    check_text("value", text, MAX_ATTRIBUTE_VALUE_LENGTH)?;
    AttributeValue::new(text.as_bytes()).map_err(|e| {
        Error::invalid_argument(crate::error::invalid_name(
            "attribute value",
            crate::error::NameRules::AttributeValue,
            text,
            &e,
        ))
    })
}

/// A ninth attribute; says how many of them the builder added by itself (`define_on_create`).
fn too_many(e: impl core::fmt::Debug, added: usize) -> Error {
    let added = match added {
        0 => String::new(),
        n => format!(", {n} of them added automatically when creating"),
    };
    Error::new(
        ErrorKind::LimitReached,
        format!(
            "too many attributes: iceoryx2 allows {MAX_ATTRIBUTES} per service{added}; define \
             fewer (iceoryx2: {e:?})"
        ),
    )
}

impl AttributesSpec {
    /// Checks every key and value, including those the current mode ignores (e.g. required keys
    /// when creating), so bad input never passes silently.
    fn validate(&self) -> Result<()> {
        for kv in self
            .define
            .iter()
            .chain(&self.require)
            .chain(&self.define_on_create)
        {
            key(&kv.key)?;
            value(&kv.value)?;
        }
        for k in &self.require_keys {
            key(k)?;
        }
        Ok(())
    }

    /// What a service this builder creates gets: its definitions, requirements and
    /// `define_on_create`.
    pub(crate) fn specifier(&self) -> Result<AttributeSpecifier> {
        self.validate()?;
        let mut specifier = AttributeSpecifier::new();
        let all = self.define.iter().chain(&self.require);
        for kv in all.chain(&self.define_on_create) {
            specifier = specifier
                .define(&key(&kv.key)?, &value(&kv.value)?)
                .map_err(|e| too_many(e, self.define_on_create.len()))?;
        }
        Ok(specifier)
    }

    pub(crate) fn verifier(&self, include_defined: bool) -> Result<AttributeVerifier> {
        self.validate()?;
        let mut verifier = AttributeVerifier::new();
        let defined = if include_defined {
            &self.define[..]
        } else {
            &[]
        };
        for kv in self.require.iter().chain(defined) {
            verifier = verifier
                .require(&key(&kv.key)?, &value(&kv.value)?)
                .map_err(|e| too_many(e, 0))?;
        }
        for k in &self.require_keys {
            verifier = verifier.require_key(&key(k)?).map_err(|e| too_many(e, 0))?;
        }
        Ok(verifier)
    }
}

/// A service's attributes, sorted by key and then value (iceoryx2 keeps them sorted).
pub(crate) fn to_list(set: &AttributeSet) -> Vec<KeyValue> {
    set.iter()
        .map(|a| KeyValue {
            key: String::from_utf8_lossy(a.key().as_bytes()).into_owned(),
            value: String::from_utf8_lossy(a.value().as_bytes()).into_owned(),
        })
        .collect()
}

/// How often open-or-create with `define_on_create` tries again when another process creates or
/// removes the service between its open and its create.
const OPEN_OR_CREATE_ROUNDS: u32 = 100;

/// Open-or-create as separate steps, so a newly created service can get attributes that an
/// existing one is not required to have (iceoryx2's own open-or-create defines exactly what it
/// requires). Opens; creates only when nothing exists; opens again when another process created
/// it first. `open` and `create` build a fresh iceoryx2 builder each time (builders are consumed).
pub(crate) fn open_or_create_separately<T>(
    mut open: impl FnMut() -> Result<T>,
    mut create: impl FnMut() -> Result<T>,
) -> Result<T> {
    let mut last = None;
    for round in 0..OPEN_OR_CREATE_ROUNDS {
        if round > 0 {
            // Another process is between creating and removing; give it a moment, as iceoryx2's
            // own open-or-create does.
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let error = match open() {
            Ok(service) => return Ok(service),
            Err(error) if error.kind == ErrorKind::ServiceNotFound => match create() {
                Ok(service) => return Ok(service),
                Err(error) => error,
            },
            Err(error) => error,
        };
        match error.kind {
            ErrorKind::ServiceAlreadyExists | ErrorKind::ServiceInFlux => last = Some(error),
            _ => return Err(error),
        }
    }
    let last = last.map(|e| e.message).unwrap_or_default();
    Err(Error::new(
        ErrorKind::ServiceInFlux,
        format!("the service was created and removed repeatedly while opening or creating it ({OPEN_OR_CREATE_ROUNDS} rounds); last: {last}"),
    ))
}

/// Opens, creates or opens-or-creates with attributes, the same way for every service builder.
/// `$build` is a closure returning a fresh iceoryx2 service builder; `$service` names the service
/// in messages (e.g. "publish-subscribe service 'A/B'").
macro_rules! open_service {
    ($build:expr, $mode:expr, $attributes:expr, $service:expr) => {{
        use $crate::error::Classify as _;
        let build = $build;
        let attributes: &$crate::attributes::AttributesSpec = $attributes;
        let service: &str = $service;
        let context = &match $mode {
            $crate::pattern::OpenMode::Open => format!("cannot open {service}"),
            $crate::pattern::OpenMode::Create => format!("cannot create {service}"),
            $crate::pattern::OpenMode::OpenOrCreate => format!("cannot open or create {service}"),
        };
        let context: &str = context;
        let opened = match $mode {
            $crate::pattern::OpenMode::Open => build()
                .open_with_attributes(&attributes.verifier(false)?)
                .map_err(|e| e.into_error(context)),
            $crate::pattern::OpenMode::Create => build()
                .create_with_attributes(&attributes.specifier()?)
                .map_err(|e| e.into_error(context)),
            $crate::pattern::OpenMode::OpenOrCreate if attributes.define_on_create.is_empty() => {
                build()
                    .open_or_create_with_attributes(&attributes.verifier(true)?)
                    .map_err(|e| e.into_error(context))
            }
            $crate::pattern::OpenMode::OpenOrCreate => {
                let verifier = attributes.verifier(true)?;
                let specifier = attributes.specifier()?;
                $crate::attributes::open_or_create_separately(
                    || {
                        build()
                            .open_with_attributes(&verifier)
                            .map_err(|e| e.into_error(context))
                    },
                    || {
                        build()
                            .create_with_attributes(&specifier)
                            .map_err(|e| e.into_error(context))
                    },
                )
            }
        };
        $crate::pattern::explain_already_exists(opened, service)
    }};
}
pub(crate) use open_service;

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// Runs `open_or_create_separately` against scripted results; returns what it returned and
    /// the steps it took, in order.
    fn run(
        opens: Vec<Result<&'static str>>,
        creates: Vec<Result<&'static str>>,
    ) -> (Result<&'static str>, Vec<&'static str>) {
        let steps = RefCell::new(Vec::new());
        let opens = RefCell::new(opens.into_iter());
        let creates = RefCell::new(creates.into_iter());
        let result = open_or_create_separately(
            || {
                steps.borrow_mut().push("open");
                opens.borrow_mut().next().expect("an open result")
            },
            || {
                steps.borrow_mut().push("create");
                creates.borrow_mut().next().expect("a create result")
            },
        );
        (result, steps.into_inner())
    }

    fn failure(kind: ErrorKind) -> Error {
        Error::new(kind, kind.name())
    }

    #[test]
    fn opens_an_existing_service_without_creating() {
        assert_eq!(
            run(vec![Ok("opened")], vec![]),
            (Ok("opened"), vec!["open"])
        );
    }

    #[test]
    fn creates_only_when_nothing_exists() {
        let (result, steps) = run(
            vec![Err(failure(ErrorKind::ServiceNotFound))],
            vec![Ok("created")],
        );
        assert_eq!((result, steps), (Ok("created"), vec!["open", "create"]));
    }

    #[test]
    fn opens_again_when_another_process_created_it_first() {
        let (result, steps) = run(
            vec![Err(failure(ErrorKind::ServiceNotFound)), Ok("opened")],
            vec![Err(failure(ErrorKind::ServiceAlreadyExists))],
        );
        assert_eq!(
            (result, steps),
            (Ok("opened"), vec!["open", "create", "open"])
        );
    }

    #[test]
    fn other_failures_end_at_once() {
        let (result, steps) = run(vec![Err(failure(ErrorKind::IncompatibleTypes))], vec![]);
        assert_eq!(result.unwrap_err().kind, ErrorKind::IncompatibleTypes);
        assert_eq!(steps, vec!["open"]);
        let (result, steps) = run(
            vec![Err(failure(ErrorKind::ServiceNotFound))],
            vec![Err(failure(ErrorKind::PermissionDenied))],
        );
        assert_eq!(result.unwrap_err().kind, ErrorKind::PermissionDenied);
        assert_eq!(steps, vec!["open", "create"]);
    }

    #[test]
    fn a_service_in_flux_is_retried_a_bounded_number_of_times() {
        let rounds = OPEN_OR_CREATE_ROUNDS as usize;
        let opens = (0..rounds)
            .map(|_| Err(failure(ErrorKind::ServiceInFlux)))
            .collect();
        let (result, steps) = run(opens, vec![]);
        let error = result.unwrap_err();
        assert_eq!(error.kind, ErrorKind::ServiceInFlux);
        assert!(
            error.message.contains("created and removed repeatedly"),
            "{}",
            error.message
        );
        assert_eq!(
            steps.len(),
            rounds,
            "never creates while the service is in flux"
        );
    }

    #[test]
    fn define_on_create_is_defined_but_never_required() {
        let spec: AttributesSpec = serde_json::from_str(
            r#"{"define":[{"key":"a","value":"1"}],"defineOnCreate":[{"key":"layout","value":"v1"}]}"#,
        )
        .unwrap();
        let defined = spec.specifier().unwrap();
        let keys: Vec<_> = to_list(defined.attributes())
            .into_iter()
            .map(|kv| kv.key)
            .collect();
        assert_eq!(keys, ["a", "layout"]);
        let required = spec.verifier(true).unwrap();
        let keys: Vec<_> = to_list(required.required_attributes())
            .into_iter()
            .map(|kv| kv.key)
            .collect();
        assert_eq!(keys, ["a"]);
        assert!(required.required_keys().is_empty());
    }

    #[test]
    fn the_limit_message_counts_the_automatic_attributes() {
        let spec = AttributesSpec {
            define: (0..7)
                .map(|i| KeyValue {
                    key: format!("k{i}"),
                    value: "v".into(),
                })
                .collect(),
            define_on_create: (0..2)
                .map(|i| KeyValue {
                    key: format!("auto{i}"),
                    value: "v".into(),
                })
                .collect(),
            ..AttributesSpec::default()
        };
        let error = spec.specifier().unwrap_err();
        assert_eq!(error.kind, ErrorKind::LimitReached);
        assert!(
            error.message.contains("2 of them added automatically"),
            "{}",
            error.message
        );
    }
}
