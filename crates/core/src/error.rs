//! The one list of error kinds every front (napi, C ABI) and `core-api` share, and the mapping of
//! every iceoryx2 error onto it. Kinds are append-only: their codes are part of the C ABI.

use core::fmt;

use iceoryx2::node::NodeCreationFailure;
use iceoryx2::port::publisher::PublisherCreateError;
use iceoryx2::port::subscriber::SubscriberCreateError;
use iceoryx2::port::{LoanError, ReceiveError, SendError};
use iceoryx2::prelude::SemanticStringError;
use iceoryx2::service::builder::publish_subscribe::{
    PublishSubscribeCreateError, PublishSubscribeOpenError, PublishSubscribeOpenOrCreateError,
};
use iceoryx2::service::service_name::ServiceNameError;
use iceoryx2::service::ServiceDetailsError;

macro_rules! error_kinds {
    ($($(#[doc = $doc:literal])* $name:ident = $code:literal,)*) => {
        /// A stable classification of every failure. `core-api` exports the same names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(i32)]
        pub enum ErrorKind {
            $($(#[doc = $doc])* $name = $code,)*
        }

        impl ErrorKind {
            /// Every kind, in code order.
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$name,)*];

            /// The kind's name as `core-api` spells it.
            pub const fn name(self) -> &'static str {
                match self { $(ErrorKind::$name => stringify!($name),)* }
            }

            /// The numeric code the C ABI returns (negated) for this kind.
            pub const fn code(self) -> i32 {
                self as i32
            }

            pub fn from_code(code: i32) -> Option<ErrorKind> {
                match code { $($code => Some(ErrorKind::$name),)* _ => None }
            }
        }
    };
}

error_kinds! {
    /// A value of the wrong type or out of range was passed.
    InvalidArgument = 1,
    /// A service, node or port name is empty, too long or has invalid characters.
    InvalidName = 2,
    /// The handle was closed (or never valid), or the object it names was closed with its parent.
    HandleClosed = 3,
    /// `open()` of a service that does not exist.
    ServiceNotFound = 4,
    /// `create()` of a service that already exists.
    ServiceAlreadyExists = 5,
    /// The service exists with a different payload or header type (name, size, alignment or variant), or
    /// (checked by core-api) a struct of another field layout.
    IncompatibleTypes = 6,
    /// The service exists with another messaging pattern.
    IncompatibleMessagingPattern = 7,
    /// The service's attributes do not satisfy the requirements.
    IncompatibleAttributes = 8,
    /// The service exists but does not offer the requested quality of service (buffer, history, ports...).
    IncompatibleQos = 9,
    /// The service's resources are corrupted or half-removed.
    ServiceInCorruptedState = 10,
    /// Another process is creating or removing the service right now; retry.
    ServiceInFlux = 11,
    /// The process lacks permissions for the shared-memory or service files.
    PermissionDenied = 12,
    /// The maximum number of nodes, publishers, subscribers or other ports is reached.
    LimitReached = 13,
    /// More samples loaned (publisher) than the configured maximum.
    ExceedsMaxLoans = 14,
    /// More samples held (subscriber) than the configured maximum borrowed samples.
    ExceedsMaxBorrows = 15,
    /// The data segment has no memory left for this loan, or it exceeds the maximum slice length.
    OutOfMemory = 16,
    /// The sample was already sent or released; its memory views are detached.
    SampleReleased = 17,
    /// An index or write reaches past the end of a slice or array.
    OutOfBounds = 18,
    /// A connection to a peer port could not be established or broke.
    ConnectionFailure = 19,
    /// A sample could not be delivered to a subscriber.
    UnableToDeliver = 20,
    /// The configuration file could not be read or parsed, or its paths cannot be used (too long,
    /// or a root path iceoryx2 cannot create its directories under).
    ConfigError = 21,
    /// The operation was interrupted by a signal.
    Interrupted = 22,
    /// The service was created by an incompatible iceoryx2 version.
    VersionMismatch = 23,
    /// The native library is missing, has the wrong version or cannot be loaded.
    LibraryLoadFailure = 24,
    /// A failure inside iceoryx2 or the operating system that the caller cannot fix.
    InternalFailure = 25,
    /// A notifier stayed silent longer than the event service's deadline (reported after the notification went out).
    MissedDeadline = 26,
    /// The peer is gone: no server for a request, or the client dropped the pending response a server answers.
    Disconnected = 27,
    /// An awaited operation was cancelled by its AbortSignal or by closing the object it waited on.
    Aborted = 28,
    /// A blackboard key that the service does not hold.
    EntryNotFound = 29,
}

/// An error with its kind and a message that says what failed and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

pub type Result<T> = core::result::Result<T, Error>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for Error {}

/// Maps an iceoryx2 error onto a kind; the message keeps iceoryx2's own variant name so nothing
/// is lost, prefixed by what we were doing (`context`).
pub(crate) trait Classify: fmt::Debug {
    fn kind(&self) -> ErrorKind;

    fn into_error(self, context: &str) -> Error
    where
        Self: Sized,
    {
        Error::new(self.kind(), format!("{context}: {self:?}"))
    }
}

impl Classify for NodeCreationFailure {
    fn kind(&self) -> ErrorKind {
        match self {
            NodeCreationFailure::InsufficientPermissions => ErrorKind::PermissionDenied,
            NodeCreationFailure::SystemCorrupted => ErrorKind::ServiceInCorruptedState,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for SemanticStringError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidName
    }
}

impl Classify for ServiceNameError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidName
    }
}

impl Classify for ServiceDetailsError {
    fn kind(&self) -> ErrorKind {
        match self {
            ServiceDetailsError::Interrupt => ErrorKind::Interrupted,
            ServiceDetailsError::InsufficientPermissions => ErrorKind::PermissionDenied,
            ServiceDetailsError::VersionMismatch => ErrorKind::VersionMismatch,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for PublishSubscribeOpenError {
    fn kind(&self) -> ErrorKind {
        use PublishSubscribeOpenError as E;
        match self {
            E::Interrupt => ErrorKind::Interrupted,
            E::DoesNotExist => ErrorKind::ServiceNotFound,
            E::IncompatibleTypes => ErrorKind::IncompatibleTypes,
            E::IncompatibleMessagingPattern => ErrorKind::IncompatibleMessagingPattern,
            E::IncompatibleAttributes => ErrorKind::IncompatibleAttributes,
            E::DoesNotSupportRequestedMinBufferSize
            | E::DoesNotSupportRequestedMinHistorySize
            | E::DoesNotSupportRequestedMinSubscriberBorrowedSamples
            | E::DoesNotSupportRequestedAmountOfPublishers
            | E::DoesNotSupportRequestedAmountOfSubscribers
            | E::DoesNotSupportRequestedAmountOfNodes
            | E::IncompatibleOverflowBehavior => ErrorKind::IncompatibleQos,
            E::InsufficientPermissions => ErrorKind::PermissionDenied,
            E::ServiceInCorruptedState => ErrorKind::ServiceInCorruptedState,
            E::HangsInCreation | E::IsMarkedForDestruction => ErrorKind::ServiceInFlux,
            E::ExceedsMaxNumberOfNodes => ErrorKind::LimitReached,
            E::VersionMismatch => ErrorKind::VersionMismatch,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for PublishSubscribeCreateError {
    fn kind(&self) -> ErrorKind {
        use PublishSubscribeCreateError as E;
        match self {
            E::Interrupt => ErrorKind::Interrupted,
            E::ServiceInCorruptedState => ErrorKind::ServiceInCorruptedState,
            E::SubscriberBufferMustBeLargerThanHistorySize => ErrorKind::InvalidArgument,
            E::AlreadyExists => ErrorKind::ServiceAlreadyExists,
            E::InsufficientPermissions => ErrorKind::PermissionDenied,
            E::IsBeingCreatedByAnotherInstance | E::HangsInCreation => ErrorKind::ServiceInFlux,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for PublishSubscribeOpenOrCreateError {
    fn kind(&self) -> ErrorKind {
        match self {
            PublishSubscribeOpenOrCreateError::PublishSubscribeOpenError(e) => e.kind(),
            PublishSubscribeOpenOrCreateError::PublishSubscribeCreateError(e) => e.kind(),
            PublishSubscribeOpenOrCreateError::SystemInFlux => ErrorKind::ServiceInFlux,
        }
    }
}

impl Classify for PublisherCreateError {
    fn kind(&self) -> ErrorKind {
        match self {
            PublisherCreateError::ExceedsMaxSupportedPublishers => ErrorKind::LimitReached,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for SubscriberCreateError {
    fn kind(&self) -> ErrorKind {
        use SubscriberCreateError as E;
        match self {
            E::ExceedsMaxSupportedSubscribers => ErrorKind::LimitReached,
            E::BufferSizeExceedsMaxSupportedBufferSizeOfService
            | E::HistoryRequestExceedsHistorySizeOfService
            | E::HistoryRequestExceedsBufferSizeOfSubscriber => ErrorKind::IncompatibleQos,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for LoanError {
    fn kind(&self) -> ErrorKind {
        match self {
            LoanError::OutOfMemory | LoanError::ExceedsMaxLoanSize => ErrorKind::OutOfMemory,
            LoanError::ExceedsMaxLoans => ErrorKind::ExceedsMaxLoans,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for SendError {
    fn kind(&self) -> ErrorKind {
        match self {
            SendError::LoanError(e) => e.kind(),
            SendError::ConnectionBrokenSinceSenderNoLongerExists
            | SendError::ConnectionCorrupted
            | SendError::ConnectionError(_) => ErrorKind::ConnectionFailure,
            SendError::UnableToDeliver => ErrorKind::UnableToDeliver,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Classify for ReceiveError {
    fn kind(&self) -> ErrorKind {
        match self {
            ReceiveError::ExceedsMaxBorrows => ErrorKind::ExceedsMaxBorrows,
            ReceiveError::ConnectionFailure(_) => ErrorKind::ConnectionFailure,
            #[allow(unreachable_patterns)]
            _ => ErrorKind::InternalFailure,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_dense_unique_and_round_trip() {
        for (index, kind) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(kind.code(), index as i32 + 1);
            assert_eq!(ErrorKind::from_code(kind.code()), Some(*kind));
        }
        assert_eq!(ErrorKind::from_code(0), None);
    }

    #[test]
    fn iceoryx2_errors_keep_their_variant_in_the_message() {
        let error = LoanError::ExceedsMaxLoans.into_error("loan");
        assert_eq!(error.kind, ErrorKind::ExceedsMaxLoans);
        assert_eq!(error.message, "loan: ExceedsMaxLoans");
    }
}
