//! Service attributes: key-value pairs a creator defines and an opener can require.

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

fn key(text: &str) -> Result<AttributeKey> {
    AttributeKey::new(text.as_bytes()).map_err(|e| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("attribute key '{text}' is invalid (empty or too long): {e:?}"),
        )
    })
}

fn value(text: &str) -> Result<AttributeValue> {
    AttributeValue::new(text.as_bytes()).map_err(|e| {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("attribute value '{text}' is invalid (empty or too long): {e:?}"),
        )
    })
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
