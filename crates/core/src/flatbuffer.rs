//! FlatBuffers payloads as upstream 0.10 defines them.
//!
//! The payload type is the marker `iox2::Flatbuffer` (size 1, alignment 1). Creating the service
//! stores the binary schema (`.bfbs`) it was given or found, and every opener must bring a
//! byte-identical schema. A message carries its finished flatbuffer from `payload_offset` to
//! `number_of_elements` bytes past the payload start.
//!
//! The JavaScript `flatbuffers` package builds on its own heap (it takes no allocator), so a send
//! copies the finished buffer into the loaned chunk once, as upstream's Python binding does.

use iceoryx2::prelude::{FilePath, SemanticString};
use iceoryx2_bb_container::string::StaticString;
use iceoryx2_bb_flatbuffers::TypeName;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorKind, Result};
use crate::types::TypeSpec;

/// The payload type name of every FlatBuffers service (upstream's `Flatbuffer<T>` marker).
pub const TYPE_NAME: &str = "iox2::Flatbuffer";

/// Which flatbuffer a service carries: the root table's name and namespace (what upstream uses
/// to find `<root>.bfbs` under the config's schema path) and, optionally, the schema file itself.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct FlatbufferSpec {
    pub root_type: String,
    #[serde(default)]
    #[ts(as = "Option<String>")]
    pub namespace: String,
    /// Upstream's `flatbuffer_schema_path`: absolute, or relative to the config's schema path.
    #[serde(default)]
    pub schema_path: Option<String>,
}

/// Whether `payload` is upstream's flatbuffer marker.
pub fn is_flatbuffer(payload: &TypeSpec) -> bool {
    payload.type_name == TYPE_NAME
}

impl FlatbufferSpec {
    /// Checks that a flatbuffer description comes with the marker payload type and only with it.
    pub(crate) fn check(spec: Option<&Self>, payload: &TypeSpec, what: &str) -> Result<()> {
        match (spec, is_flatbuffer(payload)) {
            (Some(_), true) | (None, false) => Ok(()),
            (None, true) => Err(Error::invalid_argument(format!(
                "{what} type '{TYPE_NAME}' needs the flatbuffer's root type: describe it with \
                 flatbuffer(rootType)"
            ))),
            (Some(spec), false) => Err(Error::invalid_argument(format!(
                "{what} type '{}' is no flatbuffer, yet a flatbuffer root type '{}' was given",
                payload.type_name, spec.root_type
            ))),
        }
    }

    /// What a service builder needs of `spec` for `payload`: upstream's type-name hint and the
    /// schema file, if any; `None` for a payload that is no flatbuffer (checked as [`Self::check`]).
    pub(crate) fn resolve(
        spec: Option<&Self>,
        payload: &TypeSpec,
        what: &str,
    ) -> Result<Option<(TypeName, Option<FilePath>)>> {
        Self::check(spec, payload, what)?;
        match spec {
            Some(spec) => Ok(Some((spec.type_name_hint()?, spec.schema_file()?))),
            None => Ok(None),
        }
    }

    /// The name upstream derives from the generated type, for the schema file lookup.
    pub(crate) fn type_name_hint(&self) -> Result<TypeName> {
        let text = |value: &str, what: &str| {
            StaticString::<128>::try_from(value).map_err(|_| {
                Error::invalid_argument(format!(
                    "flatbuffer {what} '{value}' is {} bytes long; iceoryx2 keeps at most 128",
                    value.len()
                ))
            })
        };
        if self.root_type.is_empty() {
            return Err(Error::invalid_argument("flatbuffer root type is empty"));
        }
        Ok(TypeName {
            name: text(&self.root_type, "root type")?,
            namespace: text(&self.namespace, "namespace")?,
        })
    }

    /// The schema file given on the builder, checked as upstream's `FilePath`.
    pub(crate) fn schema_file(&self) -> Result<Option<FilePath>> {
        let Some(path) = &self.schema_path else {
            return Ok(None);
        };
        FilePath::new(path.as_bytes()).map(Some).map_err(|e| {
            crate::error::invalid_name_error(
                "flatbuffer schema path",
                crate::error::NameRules::FilePath,
                path,
                &e,
            )
        })
    }
}

/// A loaned message that can carry a serialized payload (sample, request or response).
pub(crate) trait SerializedMessage {
    /// Copies a finished flatbuffer to the start of the payload, growing the chunk first when
    /// it holds fewer bytes (as upstream's Python binding does), and records it in the header.
    fn write_serialized(&mut self, bytes: &[u8]) -> Result<()>;
}

macro_rules! serialized_message {
    ($($message:ty),*) => {$(
        impl SerializedMessage for $message {
            fn write_serialized(&mut self, bytes: &[u8]) -> Result<()> {
                // Made first: it records the chunk's payload capacity, the length `finish`
                // writes into the header.
                let mut memory = self.__internal_create_resizable_memory();
                let available = self.__internal_available_payload_memory();
                // Placed at the end of what the header will count, as upstream's builder
                // leaves a flatbuffer (it grows downwards): receivers get exactly its bytes.
                let end = if available < bytes.len() {
                    memory
                        .grow_downwards_with_size(bytes.len(), 0)
                        .map_err(|e| cannot_grow(bytes.len(), available, e))?;
                    bytes.len()
                } else {
                    available
                };
                // SAFETY: the message is loaned and exclusively ours; its payload holds `end`
                // bytes (`available`, or exactly `bytes.len()` after growing), so the copy ends
                // at or before the chunk's end.
                let target = unsafe {
                    let target = memory.as_mut_ptr().add(end - bytes.len());
                    core::ptr::copy_nonoverlapping(bytes.as_ptr(), target, bytes.len());
                    target
                };
                self.__internal_finish_serialized(target);
                Ok(())
            }
        }
    )*};
}

serialized_message!(
    crate::objects::RawSampleMut,
    crate::objects::RawRequestMut,
    crate::objects::RawResponseMut
);

fn cannot_grow(needed: usize, available: usize, error: impl core::fmt::Debug) -> Error {
    Error::new(
        ErrorKind::OutOfMemory,
        format!(
            "a flatbuffer of {needed} bytes does not fit the {available} bytes of a chunk, and \
             the port's memory cannot grow ({error:?}); create the port with \
             initialReservedMemory({needed}) or more, or with allocationStrategy 'powerOfTwo' or \
             'bestFit'"
        ),
    )
}

/// Checks the byte count of a flatbuffer to send.
pub(crate) fn check_send(bytes: &[u8], what: &str) -> Result<usize> {
    if bytes.len() < 4 {
        return Err(Error::invalid_argument(format!(
            "a {what} flatbuffer of {} bytes is too short: a finished flatbuffer holds at least \
             its 4-byte root offset (call builder.finish(root) first)",
            bytes.len()
        )));
    }
    Ok(bytes.len())
}

/// A received payload's bytes: all of them, or a flatbuffer's from the peer's `payload_offset` on.
pub(crate) fn received_payload<'a, T: 'a>(
    payload_type: &TypeSpec,
    claimed_elements: u64,
    payload_offset: u64,
    payload: impl FnOnce() -> &'a [T],
) -> Result<(*const u8, usize)> {
    // The count first: iceoryx2 multiplies it by the element size without an overflow check.
    crate::spans::check_claimed_size(claimed_elements, payload_type.size)?;
    let payload = payload();
    crate::spans::check_received(
        payload.as_ptr().cast(),
        core::mem::size_of_val(payload),
        claimed_elements,
        payload_type.size,
    )?;
    if !is_flatbuffer(payload_type) {
        return Ok((payload.as_ptr().cast(), payload.len()));
    }
    // SAFETY: a flatbuffer's marker elements are single bytes (size 1, as its type details say),
    // so the slice covers `payload.len()` bytes.
    let bytes =
        unsafe { core::slice::from_raw_parts(payload.as_ptr().cast::<u8>(), payload.len()) };
    received(bytes, payload_offset)
}

/// The flatbuffer in a received message: `payload` is what the header's element count covers,
/// `offset` the header's payload offset, both written by the peer.
fn received(payload: &[u8], offset: u64) -> Result<(*const u8, usize)> {
    match usize::try_from(offset) {
        Ok(offset) if offset <= payload.len() => Ok((
            // SAFETY: `offset` is within `payload` (checked).
            unsafe { payload.as_ptr().add(offset) },
            payload.len() - offset,
        )),
        _ => Err(Error::new(
            ErrorKind::InvalidPayload,
            format!(
                "a peer's flatbuffer message says its data starts at byte {offset} of a {}-byte \
                 payload; the message is released unread",
                payload.len()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_received_flatbuffer_starts_at_the_peers_offset() {
        let payload = [0u8, 1, 2, 3, 4, 5];
        let (start, len) = received(&payload, 2).unwrap();
        assert_eq!(len, 4);
        // SAFETY: `received` returned a window inside `payload`.
        assert_eq!(
            unsafe { core::slice::from_raw_parts(start, len) },
            &[2, 3, 4, 5]
        );
        assert_eq!(received(&payload, 6).unwrap().1, 0);
    }

    #[test]
    fn an_offset_beyond_the_payload_is_reported_never_read() {
        for offset in [7, u64::MAX] {
            let error = received(&[0u8; 6], offset).unwrap_err();
            assert_eq!(error.kind, ErrorKind::InvalidPayload);
            assert!(error
                .message
                .contains(&format!("byte {offset} of a 6-byte payload")));
        }
    }

    #[test]
    fn a_description_comes_with_the_marker_type_and_only_with_it() {
        let marker = TypeSpec {
            variant: crate::types::Variant::FixedSize,
            type_name: TYPE_NAME.into(),
            size: 1,
            alignment: 1,
        };
        let spec = FlatbufferSpec {
            root_type: "UnboundedData".into(),
            namespace: String::new(),
            schema_path: None,
        };
        assert!(FlatbufferSpec::check(Some(&spec), &marker, "payload").is_ok());
        assert!(FlatbufferSpec::check(None, &TypeSpec::unit(), "payload").is_ok());
        assert!(FlatbufferSpec::check(None, &marker, "payload").is_err());
        assert!(FlatbufferSpec::check(Some(&spec), &TypeSpec::unit(), "payload").is_err());
        let long = FlatbufferSpec {
            root_type: "R".repeat(129),
            ..spec
        };
        assert!(long.type_name_hint().is_err());
    }
}
