//! Service attributes: key-value pairs a creator defines and an opener can require.

use iceoryx2::constants::{MAX_ATTRIBUTE_KEY_LENGTH, MAX_ATTRIBUTE_VALUE_LENGTH};
use iceoryx2::prelude::SemanticString;
use iceoryx2::service::attribute::{
    AttributeKey, AttributeSet, AttributeSpecifier, AttributeValue, AttributeVerifier,
};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// A key with one value; a key may appear several times.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

/// What a service builder asks for: `define` when it creates the service, `require` and
/// `require_keys` when it opens one (for open-or-create, the requirements are also what a newly
/// created service gets).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttributesSpec {
    #[serde(default)]
    pub define: Vec<KeyValue>,
    #[serde(default)]
    pub require: Vec<KeyValue>,
    #[serde(default)]
    pub require_keys: Vec<String>,
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
    AttributeKey::new(text.as_bytes())
        .map_err(|e| Error::invalid_argument(format!("attribute key {text:?} is invalid: {e:?}")))
}

fn value(text: &str) -> Result<AttributeValue> {
    check_text("value", text, MAX_ATTRIBUTE_VALUE_LENGTH)?;
    AttributeValue::new(text.as_bytes())
        .map_err(|e| Error::invalid_argument(format!("attribute value {text:?} is invalid: {e:?}")))
}

fn too_many(e: impl core::fmt::Debug) -> Error {
    Error::new(
        ErrorKind::LimitReached,
        format!("too many attributes: {e:?}"),
    )
}

impl AttributesSpec {
    /// Checks every key and value, including those the current mode ignores (e.g. required keys
    /// when creating), so bad input never passes silently.
    fn validate(&self) -> Result<()> {
        for kv in self.define.iter().chain(&self.require) {
            key(&kv.key)?;
            value(&kv.value)?;
        }
        for k in &self.require_keys {
            key(k)?;
        }
        Ok(())
    }

    pub(crate) fn specifier(&self) -> Result<AttributeSpecifier> {
        self.validate()?;
        let mut specifier = AttributeSpecifier::new();
        for kv in self.define.iter().chain(&self.require) {
            specifier = specifier
                .define(&key(&kv.key)?, &value(&kv.value)?)
                .map_err(too_many)?;
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
                .map_err(too_many)?;
        }
        for k in &self.require_keys {
            verifier = verifier.require_key(&key(k)?).map_err(too_many)?;
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

/// Opens, creates or opens-or-creates with attributes, the same way for every service builder.
macro_rules! open_service {
    ($builder:expr, $mode:expr, $attributes:expr, $context:expr) => {{
        use $crate::error::Classify as _;
        let attributes: &$crate::attributes::AttributesSpec = $attributes;
        let context: &str = $context;
        match $mode {
            $crate::pubsub::OpenMode::Open => $builder
                .open_with_attributes(&attributes.verifier(false)?)
                .map_err(|e| e.into_error(context)),
            $crate::pubsub::OpenMode::Create => $builder
                .create_with_attributes(&attributes.specifier()?)
                .map_err(|e| e.into_error(context)),
            $crate::pubsub::OpenMode::OpenOrCreate => $builder
                .open_or_create_with_attributes(&attributes.verifier(true)?)
                .map_err(|e| e.into_error(context)),
        }
    }};
}
pub(crate) use open_service;
