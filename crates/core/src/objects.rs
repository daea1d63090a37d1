//! The native objects a handle can name, with the type information JS needs to size views.

use core::mem::MaybeUninit;

use iceoryx2::node::Node;
use iceoryx2::port::publisher::Publisher;
use iceoryx2::port::subscriber::Subscriber;
use iceoryx2::request_mut_uninit::RequestMutUninit;
use iceoryx2::response_mut_uninit::ResponseMutUninit;
use iceoryx2::sample::Sample;
use iceoryx2::sample_mut_uninit::SampleMutUninit;
use iceoryx2::service::ipc;
use iceoryx2::service::marker::{CustomHeaderMarker, CustomPayloadMarker};
use iceoryx2::service::port_factory::publish_subscribe::PortFactory;

use crate::error::{Error, ErrorKind};
use crate::types::Types;

pub(crate) type Ipc = ipc::Service;
/// Payloads are byte slices whose real type iceoryx2 learns from run-time type details, as in
/// upstream's own language bindings.
pub(crate) type PubSubFactory = PortFactory<Ipc, [CustomPayloadMarker], CustomHeaderMarker>;
pub(crate) type RawPublisher = Publisher<Ipc, [CustomPayloadMarker], CustomHeaderMarker>;
pub(crate) type RawSubscriber = Subscriber<Ipc, [CustomPayloadMarker], CustomHeaderMarker>;
pub(crate) type RawSampleMut =
    SampleMutUninit<Ipc, [MaybeUninit<CustomPayloadMarker>], CustomHeaderMarker>;
pub(crate) type RawSample = Sample<Ipc, [CustomPayloadMarker], CustomHeaderMarker>;
/// A loaned request and response of the request-response pattern (whose other objects are its own).
pub(crate) type RawRequestMut = RequestMutUninit<
    Ipc,
    [MaybeUninit<CustomPayloadMarker>],
    CustomHeaderMarker,
    [CustomPayloadMarker],
    CustomHeaderMarker,
>;
pub(crate) type RawResponseMut =
    ResponseMutUninit<Ipc, [MaybeUninit<CustomPayloadMarker>], CustomHeaderMarker>;

pub(crate) enum Object {
    Node(Node<Ipc>),
    /// Shared with its subscribers, which read its publishers' capacities.
    PubSubService(std::rc::Rc<PubSubFactory>, Types),
    Publisher(RawPublisher, Types),
    Subscriber(
        RawSubscriber,
        Types,
        Box<crate::capacities::SenderCapacities<iceoryx2::identifiers::UniquePublisherId>>,
    ),
    SampleMut(Box<RawSampleMut>),
    /// Held only so its chunk stays borrowed until JS releases it.
    Sample(#[allow(dead_code)] RawSample),
    /// An object of a pattern module that keeps its types to itself (events, request-response,
    /// blackboard). Boxed, so that `Object` stays small: it moves on every loan, receive, send
    /// and close; publish-subscribe's objects, the hottest, stay unboxed variants above.
    Pattern(Box<dyn PatternObject>),
}

/// What the handle table needs of a pattern module's object: its kind's name. The module gets
/// its own type back with [`Object::pattern_mut`] and [`Object::into_pattern`].
pub(crate) trait PatternObject: core::any::Any {
    fn kind_name(&self) -> &'static str;
}

impl<T: PatternObject> From<T> for Object {
    fn from(object: T) -> Self {
        Object::Pattern(Box::new(object))
    }
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
            Object::Pattern(object) => object.kind_name(),
        }
    }

    /// The pattern module's object of type `T`, if this is one.
    pub(crate) fn pattern_mut<T: PatternObject>(&mut self) -> Option<&mut T> {
        match self {
            Object::Pattern(object) => (&mut **object as &mut dyn core::any::Any).downcast_mut(),
            _ => None,
        }
    }

    /// The pattern module's object of type `T` by value, or this object back.
    pub(crate) fn into_pattern<T: PatternObject>(self) -> core::result::Result<T, Object> {
        match self {
            Object::Pattern(object) if (&*object as &dyn core::any::Any).is::<T>() => {
                let object: Box<dyn core::any::Any> = object;
                Ok(*object.downcast::<T>().expect("checked by the guard"))
            }
            other => Err(other),
        }
    }
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
