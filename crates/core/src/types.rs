//! Payload and user-header type details set at run time (upstream's cross-language rule:
//! the same type name, size, alignment and variant on every side).

use iceoryx2::service::static_config::message_type_details::{TypeDetail, TypeVariant};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Variant {
    /// One value of the type per sample.
    FixedSize,
    /// A slice of values of the type per sample.
    Dynamic,
}

/// A type as iceoryx2 compares it across languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TypeSpec {
    pub variant: Variant,
    pub type_name: String,
    pub size: usize,
    pub alignment: usize,
}

impl TypeSpec {
    /// The user-header type of services that have none, as Rust's `()` is described.
    pub fn unit() -> Self {
        Self {
            variant: Variant::FixedSize,
            type_name: "()".into(),
            size: 0,
            alignment: 1,
        }
    }

    pub(crate) fn validate(&self, what: &str) -> Result<()> {
        if self.type_name.is_empty() {
            return Err(Error::invalid_argument(format!(
                "{what} type name is empty"
            )));
        }
        if !self.alignment.is_power_of_two() {
            return Err(Error::invalid_argument(format!(
                "{what} type '{}' has alignment {}, which is not a power of two",
                self.type_name, self.alignment
            )));
        }
        if self.size % self.alignment != 0 {
            return Err(Error::invalid_argument(format!(
                "{what} type '{}' has size {} that is not a multiple of its alignment {}",
                self.type_name, self.size, self.alignment
            )));
        }
        if self.variant == Variant::Dynamic && self.size == 0 {
            return Err(Error::invalid_argument(format!(
                "{what} slice element type '{}' has size 0",
                self.type_name
            )));
        }
        crate::limits::check_type_size(what, &self.type_name, self.size, self.alignment)
    }

    pub(crate) fn to_detail(&self, what: &str) -> Result<TypeDetail> {
        self.validate(what)?;
        let variant = match self.variant {
            Variant::FixedSize => TypeVariant::FixedSize,
            Variant::Dynamic => TypeVariant::Dynamic,
        };
        TypeDetail::__internal_new_from_parts(variant, &self.type_name, self.size, self.alignment)
            .map_err(|_| {
                Error::invalid_argument(format!(
                    "{what} type name '{}' is longer than iceoryx2 allows",
                    self.type_name
                ))
            })
    }

    pub(crate) fn from_detail(detail: &TypeDetail) -> Self {
        Self {
            variant: match detail.variant() {
                TypeVariant::FixedSize => Variant::FixedSize,
                TypeVariant::Dynamic => Variant::Dynamic,
            },
            type_name: detail.type_name().to_string(),
            size: detail.size(),
            alignment: detail.alignment(),
        }
    }

    /// `u64 (fixed size, size 8, alignment 8)`, for error messages that name both sides.
    pub fn describe(&self) -> String {
        let variant = match self.variant {
            Variant::FixedSize => "fixed size",
            Variant::Dynamic => "slice",
        };
        format!(
            "'{}' ({variant}, size {}, alignment {})",
            self.type_name, self.size, self.alignment
        )
    }
}

/// Upstream's payload alignment override from an optional JS value, refused unless it is a
/// power of two (iceoryx2's `Alignment`); `setting` names it in the error.
pub(crate) fn alignment(
    value: Option<usize>,
    setting: &str,
) -> Result<Option<iceoryx2::prelude::Alignment>> {
    let Some(value) = value else {
        return Ok(None);
    };
    iceoryx2::prelude::Alignment::new(value)
        .map(Some)
        .ok_or_else(|| {
            Error::invalid_argument(format!(
                "{setting} must be a power of two (1, 2, 4, 8, ...), got {value}"
            ))
        })
}

/// The payload and user-header types of messages (a publish-subscribe service's samples, a
/// request-response service's requests or responses).
#[derive(Debug, Clone)]
pub(crate) struct MessageTypes {
    pub payload: TypeSpec,
    pub user_header: TypeSpec,
}

/// Shared by a service, its ports and their samples (handles are per thread, so `Rc` suffices).
pub(crate) type Types = std::rc::Rc<MessageTypes>;

/// `value` rounded up to a multiple of `alignment` (a power of two), if it fits.
fn align_up(value: usize, alignment: usize) -> Option<usize> {
    value.checked_next_multiple_of(alignment)
}

/// iceoryx2's own header in front of every chunk: publish-subscribe, request or response.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SystemHeader {
    Sample,
    Request,
    Response,
}

impl SystemHeader {
    fn layout(self) -> (usize, usize) {
        use iceoryx2::service::header::{publish_subscribe, request_response};
        match self {
            SystemHeader::Sample => (
                size_of::<publish_subscribe::Header>(),
                align_of::<publish_subscribe::Header>(),
            ),
            SystemHeader::Request => (
                size_of::<request_response::RequestHeader>(),
                align_of::<request_response::RequestHeader>(),
            ),
            SystemHeader::Response => (
                size_of::<request_response::ResponseHeader>(),
                align_of::<request_response::ResponseHeader>(),
            ),
        }
    }
}

/// Bytes of one chunk holding `elements` payload elements, laid out as iceoryx2 0.10 does
/// (header, user header, payload, each aligned, the whole aligned to the largest alignment),
/// with every step checked. Fails when it exceeds [`crate::limits::segment_limit`].
pub(crate) fn chunk_bytes(
    header: SystemHeader,
    types: &MessageTypes,
    elements: usize,
) -> Result<usize> {
    let (header_size, header_alignment) = header.layout();
    let payload = &types.payload;
    let user_header = &types.user_header;
    let max_alignment = header_alignment
        .max(user_header.alignment)
        .max(payload.alignment);
    let bytes = align_up(header_size, user_header.alignment)
        .and_then(|n| n.checked_add(user_header.size))
        .and_then(|n| align_up(n, payload.alignment))
        .and_then(|headers| {
            align_up(payload.size, payload.alignment)?
                .checked_mul(elements)?
                .checked_add(headers)
        })
        .and_then(|n| align_up(n, max_alignment))
        .filter(|n| *n <= crate::limits::segment_limit());
    bytes.ok_or_else(|| {
        Error::invalid_argument(format!(
            "{elements} elements of {} make a message above the limit of {} bytes",
            payload.describe(),
            crate::limits::segment_limit()
        ))
    })
}
