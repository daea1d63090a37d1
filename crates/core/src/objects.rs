//! The native objects a handle can name, with the type information JS needs to size views.

use core::mem::MaybeUninit;

use iceoryx2::node::Node;
use iceoryx2::port::publisher::Publisher;
use iceoryx2::port::subscriber::Subscriber;
use iceoryx2::sample::Sample;
use iceoryx2::sample_mut_uninit::SampleMutUninit;
use iceoryx2::service::ipc;
use iceoryx2::service::marker::{CustomHeaderMarker, CustomPayloadMarker};
use iceoryx2::service::port_factory::publish_subscribe::PortFactory;

use crate::error::{Error, ErrorKind};
use crate::handles::Handle;
use crate::types::TypeSpec;

pub(crate) type Ipc = ipc::Service;
/// Payloads are byte slices whose real type iceoryx2 learns from run-time type details, as in
/// upstream's own language bindings.
pub(crate) type PubSubFactory = PortFactory<Ipc, [CustomPayloadMarker], CustomHeaderMarker>;
pub(crate) type RawPublisher = Publisher<Ipc, [CustomPayloadMarker], CustomHeaderMarker>;
pub(crate) type RawSubscriber = Subscriber<Ipc, [CustomPayloadMarker], CustomHeaderMarker>;
pub(crate) type RawSampleMut =
    SampleMutUninit<Ipc, [MaybeUninit<CustomPayloadMarker>], CustomHeaderMarker>;
pub(crate) type RawSample = Sample<Ipc, [CustomPayloadMarker], CustomHeaderMarker>;

/// The payload and user-header types of a publish-subscribe service.
#[derive(Debug, Clone)]
pub(crate) struct MessageTypes {
    pub payload: TypeSpec,
    pub user_header: TypeSpec,
}

/// Shared by a service, its ports and their samples (handles are per thread, so `Rc` suffices).
pub(crate) type Types = std::rc::Rc<MessageTypes>;

pub(crate) enum Object {
    Node(Node<Ipc>),
    PubSubService(PubSubFactory, Types),
    Publisher(RawPublisher, Types),
    Subscriber(RawSubscriber, Types),
    SampleMut(Box<RawSampleMut>),
    /// Held only so its chunk stays borrowed until JS releases it.
    Sample(#[allow(dead_code)] RawSample),
    // Large variants are boxed so that `Object` stays small: it moves on every loan, receive,
    // send and close.
    Event(Box<crate::event::EventObject>),
    RequestResponse(Box<crate::request_response::RequestResponseObject>),
    Blackboard(Box<crate::blackboard::BlackboardObject>),
}

impl Object {
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Object::Node(_) => "Node",
            Object::PubSubService(..) => "publish-subscribe Service",
            Object::Publisher(..) => "Publisher",
            Object::Subscriber(..) => "Subscriber",
            Object::SampleMut(_) => "SampleMut",
            Object::Sample(_) => "Sample",
            Object::Event(object) => object.kind_name(),
            Object::RequestResponse(object) => object.kind_name(),
            Object::Blackboard(object) => object.kind_name(),
        }
    }
}

/// The error for a handle that names an object of another kind than the call expects.
pub(crate) fn wrong_kind(handle: Handle, expected: &str, found: &Object) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!(
            "handle {handle} names a {}, expected a {expected}",
            found.kind_name()
        ),
    )
}

/// The memory of one sample as JavaScript sees it: one span that starts with the user header
/// (when the type has one) and ends with the payload, so one view covers both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleMemory {
    pub base: *mut u8,
    pub len: usize,
    pub payload_offset: usize,
    pub payload_len: usize,
    pub user_header_len: usize,
}

impl SampleMemory {
    pub(crate) fn new(
        user_header: *const u8,
        user_header_len: usize,
        payload: *const u8,
        payload_len: usize,
    ) -> Result<Self, Error> {
        if user_header_len == 0 {
            return Ok(Self {
                base: payload as *mut u8,
                len: payload_len,
                payload_offset: 0,
                payload_len,
                user_header_len,
            });
        }
        // iceoryx2 lays a chunk out as header | user header | padding | payload.
        let payload_offset = (payload as usize)
            .checked_sub(user_header as usize)
            .filter(|o| *o >= user_header_len)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InternalFailure,
                    "user header does not precede the payload",
                )
            })?;
        Ok(Self {
            base: user_header as *mut u8,
            len: payload_offset + payload_len,
            payload_offset,
            payload_len,
            user_header_len,
        })
    }
}
