//! The one list of error kinds every front (napi, C ABI) and `core-api` share, and the mapping of
//! every iceoryx2 error onto it. Kinds are append-only: their codes are part of the C ABI.

use core::fmt;

use iceoryx2::config::ConfigCreationError;
use iceoryx2::node::{NodeCleanupFailure, NodeCreationFailure, NodeListFailure};
use iceoryx2::port::client::RequestSendError;
use iceoryx2::port::listener::{ListenerCreateError, ListenerWaitError};
use iceoryx2::port::notifier::{NotifierCreateError, NotifierNotifyError};
use iceoryx2::port::publisher::PublisherCreateError;
use iceoryx2::port::reader::{EntryHandleError, ReaderCreateError};
use iceoryx2::port::subscriber::SubscriberCreateError;
use iceoryx2::port::update_connections::ConnectionFailure;
use iceoryx2::port::writer::{EntryHandleMutError, WriterCreateError};
use iceoryx2::port::{LoanError, ReceiveError, SendError};
use iceoryx2::prelude::SemanticStringError;
use iceoryx2::service::builder::blackboard::{BlackboardCreateError, BlackboardOpenError};
use iceoryx2::service::builder::event::{EventCreateError, EventOpenError, EventOpenOrCreateError};
use iceoryx2::service::builder::publish_subscribe::{
    PublishSubscribeCreateError, PublishSubscribeOpenError, PublishSubscribeOpenOrCreateError,
};
use iceoryx2::service::builder::request_response::{
    RequestResponseCreateError, RequestResponseOpenError, RequestResponseOpenOrCreateError,
};
use iceoryx2::service::port_factory::client::ClientCreateError;
use iceoryx2::service::port_factory::server::ServerCreateError;
use iceoryx2::service::service_name::ServiceNameError;
use iceoryx2::service::{ServiceDetailsError, ServiceListError};

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

            /// What the kind means (its doc comment, generated into core-api).
            pub const fn doc(self) -> &'static str {
                match self { $(ErrorKind::$name => concat!($($doc),*),)* }
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
    /// The service's resources, or the files iceoryx2 keeps per config prefix (its node-id
    /// segment), are corrupted, half-created or half-removed, typically by a process killed
    /// meanwhile; the message names the files to remove. When another process wrote garbage into
    /// them and a call faulted there, the object it was made on, its service and its node are
    /// abandoned: later calls on them fail with this kind too; close them and create a new node.
    /// When the messaging pattern recorded in its dynamic config was overwritten, every call on
    /// the service's objects fails with this kind, and closing them leaks them.
    ServiceInCorruptedState = 10,
    /// Another process is creating or removing the service right now; retry. If it persists,
    /// that process died midway: `Node.forceRemoveService` removes what it left.
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
    /// Received bytes that are no valid value of their type: a container length beyond its
    /// capacity, an enum value that names no variant, text that is not what the type holds.
    /// Reading that value fails; the sample itself stays usable.
    InvalidPayload = 30,
    /// A FlatBuffers service's binary schema (`.bfbs`) was not found: no `flatbufferSchemaPath`
    /// in the config or on the builder, or no file there fits the root type.
    TypeDefinitionUnavailable = 31,
    /// A forced removal was refused: live nodes still use the service.
    ServiceInUse = 32,
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

/// Maps an iceoryx2 error onto a kind. Its message says what happened and what to do (the
/// variant's [`Explain`] sentence, or one the call site writes with the values it has) and keeps
/// iceoryx2's variant name last, so nothing of iceoryx2's report is lost and users can search for
/// it: `"{context}: {sentence} (iceoryx2: {Variant:?})"`, `context` saying what we were doing.
/// The [`Explain`] impls of every classified error live in this file, next to each other, also
/// for the enums whose `Classify` impl sits with its messaging pattern.
pub(crate) trait Classify: Explain {
    fn kind(&self) -> ErrorKind;

    fn into_error(self, context: &str) -> Error
    where
        Self: Sized,
    {
        Error::new(
            self.kind(),
            iceoryx2_message(context, self.explain(), &self),
        )
    }

    /// As [`Classify::into_error`], with the sentence `site` writes for the variants it knows
    /// more about (e.g. the limit a port was created with); `None` keeps the variant's own.
    fn into_error_with(self, context: &str, site: impl FnOnce(&Self) -> Option<String>) -> Error
    where
        Self: Sized,
    {
        match site(&self) {
            Some(sentence) => Error::new(self.kind(), iceoryx2_message(context, &sentence, &self)),
            None => self.into_error(context),
        }
    }
}

/// The shape of every message about an iceoryx2 error: `"{context}: {sentence} (iceoryx2: {variant:?})"`.
/// For variants that hide a system cause (a full file system, a read-only mount, exhausted file
/// descriptors), what the system reports goes between the sentence and the variant.
pub(crate) fn iceoryx2_message(context: &str, sentence: &str, variant: &dyn fmt::Debug) -> String {
    let name = format!("{variant:?}");
    match crate::system_report::may_be_the_systems(&name)
        .then(crate::system_report::problems)
        .flatten()
    {
        Some(report) => format!("{context}: {sentence}; {report} (iceoryx2: {name})"),
        None => format!("{context}: {sentence} (iceoryx2: {name})"),
    }
}

/// One sentence per variant of an iceoryx2 error: what happened, naming the JS setting that
/// governs it, and what to do, checked against iceoryx2 0.10's sources. Every `match` below is
/// exhaustive, so a variant a new iceoryx2 release adds does not compile until it has a sentence.
pub(crate) trait Explain: fmt::Debug {
    fn explain(&self) -> &'static str;
}

/// Sentences several error enums share.
mod say {
    pub const INTERRUPT: &str = "a signal interrupted the call; retry it";
    pub const INTERNAL: &str = "iceoryx2 or the operating system failed internally (for \
        example shared memory, files or file descriptors ran out), not because of the call's \
        arguments; check the system's resources and retry";
    pub const PERMISSIONS: &str = "this process lacks permission to access the service's files \
        or shared memory (another user may have created them); run it as a user with access, or \
        use another config prefix";
    pub const CORRUPTED: &str = "some of the service's resources are missing, corrupted or \
        inaccessible, typically left behind by a process that crashed; run \
        Node.cleanupDeadNodes() and retry; if it persists (no dead node owns them), \
        node.forceRemoveService(name, pattern) removes the service's files (it refuses while \
        live nodes use the service)";
    pub const HANGS_IN_CREATION: &str = "another process began creating the service but did \
        not finish within the creation timeout (it may have crashed); if it died, run \
        Node.cleanupDeadNodes(), then retry; if it persists, the creator died before any node \
        owned the service: node.forceRemoveService(name, pattern) removes the half-made service";
    pub const MARKED_FOR_DESTRUCTION: &str = "the service is being removed because its last \
        user left; retry in a moment and it can be created anew; if it persists, the remover \
        died midway: node.forceRemoveService(name, pattern) finishes the removal";
    pub const TOO_MANY_NODES: &str = "the service is already open in as many nodes as its \
        maxNodes allows (nodes of crashed processes count until Node.cleanupDeadNodes() removes \
        them); close the service in another node, or create it with a larger maxNodes";
    pub const VERSION_MISMATCH: &str = "the service was created by another iceoryx2 release \
        than the one this library links; every process must use the same iceoryx2 version";
    pub const SERVICE_TAG: &str = "the node's tag for the service, which dead-node cleanup \
        relies on, could not be created; check free space and write permission under the \
        config rootPath";
    pub const ATTRIBUTES: &str = "the service lacks an attribute this opener requires \
        (requireAttribute / requireAttributeKey), or has it with another value; correct or drop \
        the requirement";
    pub const PATTERN: &str = "a service of this name exists with another messaging pattern; \
        open it with that pattern, or choose another name";
    pub const DOES_NOT_EXIST: &str = "no such service exists; create it first (create() or \
        openOrCreate()), or check that name, config prefix and rootPath match the creator's";
    pub const ALREADY_EXISTS: &str = "a service of this name and messaging pattern already \
        exists; open it with open() or openOrCreate(), or choose another name";
    pub const BEING_CREATED: &str = "another process is creating this service at this moment; \
        retry, or use openOrCreate()";
    pub const CONFIG_NOT_WRITTEN: &str = "the service's static config file could not be \
        written; check free space and write permission under the config rootPath";
    pub const SERVICE_ID: &str = "no unique service id could be generated; retry";
    pub const TYPE_DEFINITION_UNAVAILABLE: &str = "a FlatBuffers service needs its binary \
        schema (a .bfbs file made by `flatc --binary --schema`) and none was found: set the \
        config's flatbufferSchemaPath (upstream's global.service.flatbuffer-schema-path) to the \
        directory that holds <RootType>.bfbs, or give the file with flatbufferSchemaPath(path) on \
        the service builder";
    pub const TYPE_DEFINITION_INVALID: &str = "the flatbuffer schema path must name a binary \
        schema file ending in .bfbs (made by `flatc --binary --schema`), not a .fbs source";
    pub const IN_FLUX: &str = "other processes kept creating and removing this service while \
        it was being opened or created; retry once that settles";
    pub const PORT_LOCK: &str = "the port's internal lock could not be set up (an \
        operating-system resource ran out); free resources and retry";
    pub const PORT_TAG: &str = "the port's tag file, which dead-node cleanup relies on, could \
        not be created; check free space and write permission under the config rootPath";
    pub const PORT_ID: &str = "no unique port id could be generated; retry";
    pub const DATA_SEGMENT: &str = "the port's shared-memory data segment could not be created: \
        too little shared memory is free, or this process may not create it; free shared memory, \
        or lower what sizes the segment (payload size, loan, buffer and port counts)";
}

/// The sentence for a QoS value an opener requires above the existing service's.
macro_rules! smaller {
    ($setting:literal) => {
        concat!(
            "the service was created with a smaller ",
            $setting,
            " than this opener requires; require at most the service's value, or leave ",
            $setting,
            " unset"
        )
    };
}

/// The sentence for a QoS setting an opener requires with another value than the service's.
macro_rules! differs {
    ($setting:literal) => {
        concat!(
            "the service's ",
            $setting,
            " differs from what this opener requires; require the service's value, or leave ",
            $setting,
            " unset"
        )
    };
}

/// The sentence for a port count at its limit; `$port` in the plural, `$setting` the limit.
macro_rules! ports_full {
    ($port:literal, $setting:literal, $builder:literal) => {
        concat!(
            "the service already has as many ",
            $port,
            " as its ",
            $setting,
            " allows (those of crashed processes count until Node.cleanupDeadNodes() removes \
             them); close one, or create the ",
            $builder,
            " with a larger ",
            $setting
        )
    };
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

impl Explain for NodeCreationFailure {
    fn explain(&self) -> &'static str {
        match self {
            NodeCreationFailure::InsufficientPermissions => {
                "this process may not create the node's files under the config rootPath; grant \
                 write permission there, or choose another rootPath"
            }
            NodeCreationFailure::InternalError => say::INTERNAL,
            NodeCreationFailure::SystemCorrupted => {
                "another process removed resources the node needs while it was being created; \
                 retry"
            }
            NodeCreationFailure::UnableToGenerateUniqueNodeId => {
                "no unique node id could be generated; retry"
            }
        }
    }
}

impl Classify for SemanticStringError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidName
    }
}

/// Without the text at hand; [`invalid_name`] says what is wrong with a given text.
impl Explain for SemanticStringError {
    fn explain(&self) -> &'static str {
        match self {
            SemanticStringError::InvalidContent => {
                "the text is empty, or holds a character or content this kind of name does not \
                 allow"
            }
            // iceoryx2 also reports a non-ASCII character or NUL in a file name or path this way.
            SemanticStringError::ExceedsMaximumLength => {
                "the text is longer than this kind of name can hold, or holds a non-ASCII \
                 character or NUL"
            }
        }
    }
}

impl Classify for ServiceNameError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidName
    }
}

/// Without the name at hand; [`invalid_name`] says what is wrong with a given name.
impl Explain for ServiceNameError {
    fn explain(&self) -> &'static str {
        match self {
            ServiceNameError::InvalidContent => {
                "a service name must be non-empty ASCII text without NUL that does not start \
                 with \"iox2://\""
            }
            ServiceNameError::ExceedsMaximumLength => "a service name holds at most 255 bytes",
        }
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

impl Explain for ServiceDetailsError {
    fn explain(&self) -> &'static str {
        use ServiceDetailsError as E;
        match self {
            E::Interrupt => say::INTERRUPT,
            E::InsufficientPermissions => say::PERMISSIONS,
            E::FailedToOpenStaticServiceInfo => {
                "the service's static config file could not be opened (the service may have just \
                 been removed); retry"
            }
            E::FailedToReadStaticServiceInfo => {
                "the service's static config file could not be read; retry"
            }
            E::FailedToDeserializeStaticServiceInfo => {
                "the service's static config file could not be parsed: it is corrupted or was \
                 written by another iceoryx2 release"
            }
            E::ServiceInInconsistentState => {
                "the service's resources are inconsistent (a process may have crashed while \
                 creating or removing it); run Node.cleanupDeadNodes() and retry"
            }
            E::VersionMismatch => say::VERSION_MISMATCH,
            E::InternalError => say::INTERNAL,
            E::FailedToAcquireNodeState => {
                "the state of a node using the service could not be determined; retry"
            }
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
            E::UnableToAcquireTypeDefinition => ErrorKind::TypeDefinitionUnavailable,
            E::InvalidTypeDefinition => ErrorKind::InvalidArgument,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Explain for PublishSubscribeOpenError {
    fn explain(&self) -> &'static str {
        use PublishSubscribeOpenError as E;
        match self {
            E::Interrupt => say::INTERRUPT,
            E::DoesNotExist => say::DOES_NOT_EXIST,
            E::InternalFailure => say::INTERNAL,
            E::IncompatibleTypes => {
                "the service's payload or user-header type (name, size, alignment, or slice \
                 versus fixed size) differs from this opener's; open it with the creator's types"
            }
            E::IncompatibleMessagingPattern => say::PATTERN,
            E::IncompatibleAttributes => say::ATTRIBUTES,
            E::DoesNotSupportRequestedMinBufferSize => smaller!("subscriberMaxBufferSize"),
            E::DoesNotSupportRequestedMinHistorySize => smaller!("historySize"),
            E::DoesNotSupportRequestedMinSubscriberBorrowedSamples => {
                smaller!("subscriberMaxBorrowedSamples")
            }
            E::DoesNotSupportRequestedAmountOfPublishers => smaller!("maxPublishers"),
            E::DoesNotSupportRequestedAmountOfSubscribers => smaller!("maxSubscribers"),
            E::DoesNotSupportRequestedAmountOfNodes => smaller!("maxNodes"),
            E::IncompatibleOverflowBehavior => differs!("enableSafeOverflow"),
            E::InsufficientPermissions => say::PERMISSIONS,
            E::ServiceInCorruptedState => say::CORRUPTED,
            E::HangsInCreation => say::HANGS_IN_CREATION,
            E::ExceedsMaxNumberOfNodes => say::TOO_MANY_NODES,
            E::IsMarkedForDestruction => say::MARKED_FOR_DESTRUCTION,
            E::UnableToCreateServiceTag => say::SERVICE_TAG,
            E::VersionMismatch => say::VERSION_MISMATCH,
            E::UnableToAcquireTypeDefinition => say::TYPE_DEFINITION_UNAVAILABLE,
            E::InvalidTypeDefinition => say::TYPE_DEFINITION_INVALID,
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
            E::UnableToAcquireTypeDefinition => ErrorKind::TypeDefinitionUnavailable,
            E::InvalidTypeDefinition => ErrorKind::InvalidArgument,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Explain for PublishSubscribeCreateError {
    fn explain(&self) -> &'static str {
        use PublishSubscribeCreateError as E;
        match self {
            E::Interrupt => say::INTERRUPT,
            E::ServiceInCorruptedState => say::CORRUPTED,
            E::SubscriberBufferMustBeLargerThanHistorySize => {
                "without safe overflow, subscriberMaxBufferSize must be at least historySize, or \
                 a subscriber could not hold the history; raise subscriberMaxBufferSize, lower \
                 historySize, or enableSafeOverflow(true)"
            }
            E::AlreadyExists => say::ALREADY_EXISTS,
            E::InsufficientPermissions => say::PERMISSIONS,
            E::InternalFailure => say::INTERNAL,
            E::IsBeingCreatedByAnotherInstance => say::BEING_CREATED,
            E::HangsInCreation => say::HANGS_IN_CREATION,
            E::UnableToCreateServiceTag => say::SERVICE_TAG,
            E::ServiceConfigCouldNotBeCreated => say::CONFIG_NOT_WRITTEN,
            E::UnableToAcquireTypeDefinition => say::TYPE_DEFINITION_UNAVAILABLE,
            E::InvalidTypeDefinition => say::TYPE_DEFINITION_INVALID,
            E::UnableToGenerateUniqueServiceId => say::SERVICE_ID,
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

impl Explain for PublishSubscribeOpenOrCreateError {
    fn explain(&self) -> &'static str {
        match self {
            PublishSubscribeOpenOrCreateError::PublishSubscribeOpenError(e) => e.explain(),
            PublishSubscribeOpenOrCreateError::PublishSubscribeCreateError(e) => e.explain(),
            PublishSubscribeOpenOrCreateError::SystemInFlux => say::IN_FLUX,
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

impl Explain for PublisherCreateError {
    fn explain(&self) -> &'static str {
        use PublisherCreateError as E;
        match self {
            E::ExceedsMaxSupportedPublishers => {
                ports_full!("publishers", "maxPublishers", "service")
            }
            E::UnableToCreateDataSegment => say::DATA_SEGMENT,
            E::FailedToDeployThreadsafetyPolicy => say::PORT_LOCK,
            E::UnableToCreatePortTag => say::PORT_TAG,
            E::UnableToGenerateUniquePublisherId => say::PORT_ID,
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

impl Explain for SubscriberCreateError {
    fn explain(&self) -> &'static str {
        use SubscriberCreateError as E;
        match self {
            E::ExceedsMaxSupportedSubscribers => {
                ports_full!("subscribers", "maxSubscribers", "service")
            }
            E::BufferSizeExceedsMaxSupportedBufferSizeOfService => {
                "the subscriber's bufferSize exceeds the service's subscriberMaxBufferSize; ask \
                 for at most that, or create the service with a larger subscriberMaxBufferSize"
            }
            E::FailedToDeployThreadsafetyPolicy => say::PORT_LOCK,
            E::UnableToCreatePortTag => say::PORT_TAG,
            E::HistoryRequestExceedsHistorySizeOfService => {
                "the subscriber's historyRequest exceeds the service's historySize; ask for at \
                 most that, or create the service with a larger historySize"
            }
            E::HistoryRequestExceedsBufferSizeOfSubscriber => {
                "the subscriber's historyRequest exceeds its buffer size, which could not hold \
                 that much history; ask for less history, or a larger bufferSize"
            }
            E::UnableToGenerateUniqueSubscriberId => say::PORT_ID,
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

impl Explain for LoanError {
    fn explain(&self) -> &'static str {
        match self {
            LoanError::OutOfMemory => {
                "the port's data segment has no free memory left for this loan: loaned, queued \
                 and received messages occupy it; send or release loans, let receivers release \
                 what they hold, and retry. iceoryx2 sizes the segment for all that the \
                 service's limits let loans and receivers hold (unless a preallocation setting \
                 lowered it): if less is held, another process wrote into the segment's \
                 bookkeeping, and the service must be removed (node.forceRemoveService) and \
                 created anew"
            }
            LoanError::ExceedsMaxLoans => {
                "the port already holds as many loans as it allows; send or release a loan \
                 first, or raise the limit (a publisher's maxLoanedSamples, the request-response \
                 service's maxLoanedRequests, a server's maxLoanedResponsesPerRequest)"
            }
            LoanError::ExceedsMaxLoanSize => {
                "the slice is longer than the port's initialMaxSliceLen, and with \
                 allocationStrategy 'static' its memory cannot grow; create the port with a \
                 larger initialMaxSliceLen, or allocationStrategy 'bestFit' or 'powerOfTwo'"
            }
            LoanError::InternalFailure => say::INTERNAL,
        }
    }
}

impl Classify for iceoryx2::service::ServiceRemoveError {
    fn kind(&self) -> ErrorKind {
        use iceoryx2::service::ServiceRemoveError as E;
        match self {
            E::Interrupt => ErrorKind::Interrupted,
            E::VersionMismatch => ErrorKind::VersionMismatch,
            E::InsufficientPermissions => ErrorKind::PermissionDenied,
            _ => ErrorKind::InternalFailure,
        }
    }
}

impl Explain for iceoryx2::service::ServiceRemoveError {
    fn explain(&self) -> &'static str {
        use iceoryx2::service::ServiceRemoveError as E;
        match self {
            E::Interrupt => "a signal interrupted the removal; retry",
            E::VersionMismatch => {
                "the service was created by another iceoryx2 version; remove it with that \
                 version's tools"
            }
            E::InsufficientPermissions => {
                "this process may not remove the service's files; run as their owner"
            }
            _ => "removing the service's resources failed inside iceoryx2",
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
            // iceoryx2 reports this only when its wait for a full receiver failed, which in
            // practice is a signal interrupting the sleep (EINTR).
            SendError::InternalError => ErrorKind::Interrupted,
        }
    }
}

impl Explain for SendError {
    fn explain(&self) -> &'static str {
        match self {
            SendError::ConnectionBrokenSinceSenderNoLongerExists => {
                "the sending port no longer exists, so nothing can be sent through it; create a \
                 new port"
            }
            SendError::ConnectionCorrupted => {
                "the connection to a receiver is corrupted, so that receiver did not get the data \
                 (the others did); if its process died, Node.cleanupDeadNodes() removes its \
                 remains"
            }
            SendError::LoanError(e) => e.explain(),
            SendError::ConnectionError(e) => e.explain(),
            SendError::UnableToDeliver => {
                "the data could not be delivered to every receiver: a receiver's buffer stayed \
                 full for the port's sendTimeout (default 1000 ms) and delivery to it was given \
                 up (the other receivers got the data); receivers must take their data in time, \
                 or raise sendTimeout, choose backpressure discardData, or create the service \
                 with safe overflow enabled"
            }
            SendError::InternalError => {
                "the send was interrupted (a signal arrived) while it waited for a receiver whose \
                 buffer was full, so the data reached only some of the receivers; send again if \
                 every receiver must get it"
            }
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

impl Explain for ReceiveError {
    fn explain(&self) -> &'static str {
        match self {
            ReceiveError::ExceedsMaxBorrows => {
                "this port already holds as many received messages from each sender as it may; \
                 release some before receiving more, or raise the limit when creating the \
                 service (subscriberMaxBorrowedSamples; for a server's requests \
                 maxActiveRequestsPerClient; for a client's responses \
                 maxBorrowedResponsesPerPendingResponse)"
            }
            ReceiveError::ConnectionFailure(e) => e.explain(),
        }
    }
}

impl Classify for ConnectionFailure {
    fn kind(&self) -> ErrorKind {
        ErrorKind::ConnectionFailure
    }
}

impl Explain for ConnectionFailure {
    fn explain(&self) -> &'static str {
        match self {
            ConnectionFailure::FailedToEstablishConnection(_) => {
                "the shared-memory connection to a counterpart port could not be created or \
                 opened; if a peer process died, Node.cleanupDeadNodes() removes its stale \
                 resources; then retry"
            }
            ConnectionFailure::UnableToMapSendersDataSegment(_) => {
                "the sender's data segment could not be mapped (it may be gone with its process, \
                 or this process may not access it); if the sender died, run \
                 Node.cleanupDeadNodes(); then retry"
            }
        }
    }
}

impl Explain for EventOpenError {
    fn explain(&self) -> &'static str {
        use EventOpenError as E;
        match self {
            E::Interrupt => say::INTERRUPT,
            E::DoesNotExist => say::DOES_NOT_EXIST,
            E::InsufficientPermissions => say::PERMISSIONS,
            E::ServiceInCorruptedState => say::CORRUPTED,
            E::IncompatibleMessagingPattern => say::PATTERN,
            E::IncompatibleAttributes => say::ATTRIBUTES,
            E::InternalFailure => say::INTERNAL,
            E::IncompatibleDeadline => {
                "the service's deadline differs from what this opener requires (deadline() or \
                 disableDeadline()); require the service's value, or leave the deadline unset"
            }
            E::IncompatibleNotifierCreatedEvent => differs!("notifierCreatedEvent"),
            E::IncompatibleNotifierDroppedEvent => differs!("notifierDroppedEvent"),
            E::IncompatibleNotifierDeadEvent => differs!("notifierDeadEvent"),
            E::HangsInCreation => say::HANGS_IN_CREATION,
            E::DoesNotSupportRequestedAmountOfNotifiers => smaller!("maxNotifiers"),
            E::DoesNotSupportRequestedAmountOfListeners => smaller!("maxListeners"),
            E::DoesNotSupportRequestedMaxEventId => smaller!("eventIdMaxValue"),
            E::DoesNotSupportRequestedAmountOfNodes => smaller!("maxNodes"),
            E::ExceedsMaxNumberOfNodes => say::TOO_MANY_NODES,
            E::IsMarkedForDestruction => say::MARKED_FOR_DESTRUCTION,
            E::UnableToCreateServiceTag => say::SERVICE_TAG,
            E::VersionMismatch => say::VERSION_MISMATCH,
        }
    }
}

impl Explain for EventCreateError {
    fn explain(&self) -> &'static str {
        use EventCreateError as E;
        match self {
            E::Interrupt => say::INTERRUPT,
            E::ServiceInCorruptedState => say::CORRUPTED,
            E::InternalFailure => say::INTERNAL,
            E::IsBeingCreatedByAnotherInstance => say::BEING_CREATED,
            E::AlreadyExists => say::ALREADY_EXISTS,
            E::InsufficientPermissions => say::PERMISSIONS,
            E::UnableToCreateServiceTag => say::SERVICE_TAG,
            E::ServiceConfigCouldNotBeCreated => say::CONFIG_NOT_WRITTEN,
            E::EventIdExceedsMaxSupportedValue => {
                "notifierCreatedEvent, notifierDroppedEvent or notifierDeadEvent is above the \
                 service's eventIdMaxValue; use smaller ids, or a larger eventIdMaxValue"
            }
            E::UnableToGenerateUniqueServiceId => say::SERVICE_ID,
        }
    }
}

impl Explain for EventOpenOrCreateError {
    fn explain(&self) -> &'static str {
        match self {
            EventOpenOrCreateError::EventOpenError(e) => e.explain(),
            EventOpenOrCreateError::EventCreateError(e) => e.explain(),
            EventOpenOrCreateError::SystemInFlux => say::IN_FLUX,
        }
    }
}

impl Explain for NotifierCreateError {
    fn explain(&self) -> &'static str {
        use NotifierCreateError as E;
        match self {
            E::ExceedsMaxSupportedNotifiers => ports_full!("notifiers", "maxNotifiers", "service"),
            E::FailedToDeployThreadsafetyPolicy => say::PORT_LOCK,
            E::UnableToCreatePortTag => say::PORT_TAG,
            E::UnableToGenerateUniqueNotifierId => say::PORT_ID,
        }
    }
}

impl Explain for ListenerCreateError {
    fn explain(&self) -> &'static str {
        use ListenerCreateError as E;
        match self {
            E::ExceedsMaxSupportedListeners => ports_full!("listeners", "maxListeners", "service"),
            E::ResourceCreationFailed => {
                "the listener's event channel could not be created (an operating-system resource \
                 ran out, or this process may not create it under the config rootPath); free \
                 resources and retry"
            }
            E::FailedToDeployThreadsafetyPolicy => say::PORT_LOCK,
            E::UnableToCreatePortTag => say::PORT_TAG,
            E::UnableToGenerateUniqueListenerId => say::PORT_ID,
        }
    }
}

impl Explain for NotifierNotifyError {
    fn explain(&self) -> &'static str {
        use NotifierNotifyError as E;
        match self {
            E::EventIdOutOfBounds => {
                "the event id is above the service's eventIdMaxValue; notify a smaller id, or \
                 create the service with a larger eventIdMaxValue"
            }
            E::MissedDeadline => {
                "the notification was delivered, but more time passed since the previous one \
                 than the service's deadline allows; notify more often, or create the service \
                 with a longer deadline"
            }
            E::UnableToAcquireElapsedTime => {
                "the notification was delivered, but the system clock could not be read to check \
                 the service's deadline"
            }
            E::InvalidListenerKey => {
                "the addressed listener is no longer connected; notify the listeners that remain"
            }
        }
    }
}

impl Explain for ListenerWaitError {
    fn explain(&self) -> &'static str {
        match self {
            ListenerWaitError::ContractViolation | ListenerWaitError::InternalFailure => {
                say::INTERNAL
            }
            ListenerWaitError::InterruptSignal => "a signal interrupted the wait; wait again",
        }
    }
}

impl Explain for RequestResponseOpenError {
    fn explain(&self) -> &'static str {
        use RequestResponseOpenError as E;
        match self {
            E::Interrupt => say::INTERRUPT,
            E::DoesNotExist => say::DOES_NOT_EXIST,
            E::DoesNotSupportRequestedAmountOfClientRequestLoans => smaller!("maxLoanedRequests"),
            E::DoesNotSupportRequestedAmountOfActiveRequestsPerClient => {
                smaller!("maxActiveRequestsPerClient")
            }
            E::DoesNotSupportRequestedResponseBufferSize => smaller!("maxResponseBufferSize"),
            E::DoesNotSupportRequestedAmountOfServers => smaller!("maxServers"),
            E::DoesNotSupportRequestedAmountOfClients => smaller!("maxClients"),
            E::DoesNotSupportRequestedAmountOfNodes => smaller!("maxNodes"),
            E::DoesNotSupportRequestedAmountOfBorrowedResponsesPerPendingResponse => {
                smaller!("maxBorrowedResponsesPerPendingResponse")
            }
            E::ExceedsMaxNumberOfNodes => say::TOO_MANY_NODES,
            E::HangsInCreation => say::HANGS_IN_CREATION,
            E::IncompatibleRequestOrResponseType => {
                "the service's request or response types (payload or user header: name, size, \
                 alignment, or slice versus fixed size) differ from this opener's; open it with \
                 the creator's types"
            }
            E::IncompatibleAttributes => say::ATTRIBUTES,
            E::IncompatibleMessagingPattern => say::PATTERN,
            E::IncompatibleOverflowBehaviorForRequests => {
                differs!("enableSafeOverflowForRequests")
            }
            E::IncompatibleOverflowBehaviorForResponses => {
                differs!("enableSafeOverflowForResponses")
            }
            E::IncompatibleBehaviorForFireAndForgetRequests => {
                differs!("enableFireAndForgetRequests")
            }
            E::InsufficientPermissions => say::PERMISSIONS,
            E::InternalFailure => say::INTERNAL,
            E::IsMarkedForDestruction => say::MARKED_FOR_DESTRUCTION,
            E::ServiceInCorruptedState => say::CORRUPTED,
            E::UnableToCreateServiceTag => say::SERVICE_TAG,
            E::VersionMismatch => say::VERSION_MISMATCH,
            E::UnableToAcquireTypeDefinition => say::TYPE_DEFINITION_UNAVAILABLE,
            E::InvalidTypeDefinition => say::TYPE_DEFINITION_INVALID,
        }
    }
}

impl Explain for RequestResponseCreateError {
    fn explain(&self) -> &'static str {
        use RequestResponseCreateError as E;
        match self {
            E::Interrupt => say::INTERRUPT,
            E::AlreadyExists => say::ALREADY_EXISTS,
            E::InternalFailure => say::INTERNAL,
            E::IsBeingCreatedByAnotherInstance => say::BEING_CREATED,
            E::InsufficientPermissions => say::PERMISSIONS,
            E::HangsInCreation => say::HANGS_IN_CREATION,
            E::ServiceInCorruptedState => say::CORRUPTED,
            E::UnableToCreateServiceTag => say::SERVICE_TAG,
            E::ServiceConfigCouldNotBeCreated => say::CONFIG_NOT_WRITTEN,
            E::UnableToAcquireTypeDefinition => say::TYPE_DEFINITION_UNAVAILABLE,
            E::InvalidTypeDefinition => say::TYPE_DEFINITION_INVALID,
            E::UnableToGenerateUniqueServiceId => say::SERVICE_ID,
        }
    }
}

impl Explain for RequestResponseOpenOrCreateError {
    fn explain(&self) -> &'static str {
        match self {
            RequestResponseOpenOrCreateError::RequestResponseOpenError(e) => e.explain(),
            RequestResponseOpenOrCreateError::RequestResponseCreateError(e) => e.explain(),
            RequestResponseOpenOrCreateError::SystemInFlux => say::IN_FLUX,
        }
    }
}

impl Explain for ClientCreateError {
    fn explain(&self) -> &'static str {
        use ClientCreateError as E;
        match self {
            E::UnableToCreateDataSegment => say::DATA_SEGMENT,
            E::ExceedsMaxSupportedClients => ports_full!("clients", "maxClients", "service"),
            E::FailedToDeployThreadsafetyPolicy => say::PORT_LOCK,
            E::UnableToCreatePortTag => say::PORT_TAG,
            E::MaxActiveRequestsExceedsMaxSupportedActiveRequestsOfService => {
                "the client's maxActiveRequests exceeds the service's maxActiveRequestsPerClient; \
                 ask for at most that, or create the service with a larger \
                 maxActiveRequestsPerClient"
            }
            E::UnableToGenerateUniqueClientId => say::PORT_ID,
        }
    }
}

impl Explain for ServerCreateError {
    fn explain(&self) -> &'static str {
        use ServerCreateError as E;
        match self {
            E::ExceedsMaxSupportedServers => ports_full!("servers", "maxServers", "service"),
            E::UnableToCreateDataSegment => say::DATA_SEGMENT,
            E::FailedToDeployThreadsafetyPolicy => say::PORT_LOCK,
            E::UnableToCreatePortTag => say::PORT_TAG,
            E::UnableToGenerateUniqueServerId => say::PORT_ID,
        }
    }
}

impl Explain for RequestSendError {
    fn explain(&self) -> &'static str {
        match self {
            RequestSendError::ExceedsMaxActiveRequests => {
                "this client already has as many requests in flight as it may (its \
                 maxActiveRequests, else the service's maxActiveRequestsPerClient); close a \
                 pending response before sending another, or raise the limit"
            }
            RequestSendError::SendError(e) => e.explain(),
        }
    }
}

impl Explain for BlackboardOpenError {
    fn explain(&self) -> &'static str {
        use BlackboardOpenError as E;
        match self {
            E::Interrupt => say::INTERRUPT,
            E::DoesNotExist => say::DOES_NOT_EXIST,
            E::ServiceInCorruptedState => say::CORRUPTED,
            E::IncompatibleKeys => {
                "the blackboard's key type differs from this opener's; open it with the \
                 creator's key type"
            }
            E::InternalFailure => say::INTERNAL,
            E::IncompatibleAttributes => say::ATTRIBUTES,
            E::IncompatibleMessagingPattern => say::PATTERN,
            E::DoesNotSupportRequestedAmountOfReaders => smaller!("maxReaders"),
            E::InsufficientPermissions => say::PERMISSIONS,
            E::HangsInCreation => say::HANGS_IN_CREATION,
            E::IsMarkedForDestruction => say::MARKED_FOR_DESTRUCTION,
            E::ExceedsMaxNumberOfNodes => say::TOO_MANY_NODES,
            E::DoesNotSupportRequestedAmountOfNodes => smaller!("maxNodes"),
            E::UnableToCreateServiceTag => say::SERVICE_TAG,
            E::VersionMismatch => say::VERSION_MISMATCH,
        }
    }
}

impl Explain for BlackboardCreateError {
    fn explain(&self) -> &'static str {
        use BlackboardCreateError as E;
        match self {
            E::Interrupt => say::INTERRUPT,
            E::AlreadyExists => say::ALREADY_EXISTS,
            E::IsBeingCreatedByAnotherInstance => say::BEING_CREATED,
            E::InternalFailure => say::INTERNAL,
            E::InsufficientPermissions => say::PERMISSIONS,
            E::ServiceInCorruptedState => say::CORRUPTED,
            E::HangsInCreation => say::HANGS_IN_CREATION,
            E::NoEntriesProvided => {
                "a blackboard needs at least one entry; add one with add(key, valueType, \
                 initialValue) before create()"
            }
            E::UnableToCreateServiceTag => say::SERVICE_TAG,
            E::ServiceConfigCouldNotBeCreated => say::CONFIG_NOT_WRITTEN,
            E::UnableToGenerateUniqueServiceId => say::SERVICE_ID,
        }
    }
}

impl Explain for WriterCreateError {
    fn explain(&self) -> &'static str {
        use WriterCreateError as E;
        match self {
            E::ExceedsMaxSupportedWriters => {
                "a blackboard has a single writer and it exists already (a crashed process's \
                 writer counts until Node.cleanupDeadNodes() removes it); close that writer first"
            }
            E::InternalFailure => say::INTERNAL,
            E::FailedToDeployThreadsafetyPolicy => say::PORT_LOCK,
            E::UnableToCreatePortTag => say::PORT_TAG,
            E::UnableToGenerateUniqueWriterId => say::PORT_ID,
        }
    }
}

impl Explain for ReaderCreateError {
    fn explain(&self) -> &'static str {
        use ReaderCreateError as E;
        match self {
            E::ExceedsMaxSupportedReaders => ports_full!("readers", "maxReaders", "blackboard"),
            E::FailedToDeployThreadsafetyPolicy => say::PORT_LOCK,
            E::UnableToCreatePortTag => say::PORT_TAG,
            E::UnableToGenerateUniqueReaderId => say::PORT_ID,
        }
    }
}

impl Explain for EntryHandleMutError {
    fn explain(&self) -> &'static str {
        match self {
            EntryHandleMutError::EntryDoesNotExist => {
                "the blackboard has no entry with this key and value type; use a key it was \
                 created with, and that entry's value type"
            }
            EntryHandleMutError::HandleAlreadyExists => {
                "this entry already has a writable handle, and only one may exist; close it \
                 before asking for another"
            }
        }
    }
}

impl Explain for EntryHandleError {
    fn explain(&self) -> &'static str {
        match self {
            EntryHandleError::EntryDoesNotExist => {
                "the blackboard has no entry with this key and value type; use a key it was \
                 created with, and that entry's value type"
            }
        }
    }
}

impl Explain for ServiceListError {
    fn explain(&self) -> &'static str {
        match self {
            ServiceListError::InsufficientPermissions => {
                "this process may not read the service directory under the config rootPath; \
                 grant read permission there"
            }
            ServiceListError::InternalError => say::INTERNAL,
        }
    }
}

impl Explain for NodeListFailure {
    fn explain(&self) -> &'static str {
        match self {
            NodeListFailure::InsufficientPermissions => {
                "this process may not read the node directory under the config rootPath; grant \
                 read permission there"
            }
            NodeListFailure::Interrupt => say::INTERRUPT,
            NodeListFailure::InternalError => say::INTERNAL,
        }
    }
}

/// The reasons `Node.cleanupDeadNodes` reports for a dead node it could not clean up.
impl Explain for NodeCleanupFailure {
    fn explain(&self) -> &'static str {
        use NodeCleanupFailure as E;
        match self {
            E::Interrupt => say::INTERRUPT,
            E::InternalError => say::INTERNAL,
            E::InsufficientPermissions => {
                "this process may not remove the dead node's resources; run the cleanup as a \
                 user who may, such as the one that ran the dead process"
            }
            E::VersionMismatch => {
                "the dead node ran another iceoryx2 release; clean it up with that release"
            }
            E::ResourcesAlreadyCleanedUp => "another process already removed its resources",
            E::AnotherInstanceIsCleaningUpTheNode => {
                "another process is cleaning up this node right now"
            }
        }
    }
}

/// Why a config file could not be loaded; the sentence follows "cannot load config file ...".
impl Explain for ConfigCreationError {
    fn explain(&self) -> &'static str {
        use ConfigCreationError as E;
        match self {
            E::FailedToReadConfigFileContents => "its contents could not be read",
            E::UnableToDeserializeContents => "it is not a valid iceoryx2 config (TOML)",
            E::InsufficientPermissions => {
                "this process may not read it; grant read permission on the file"
            }
            E::ConfigFileDoesNotExist => "it does not exist",
            E::UnableToOpenConfigFile => "it could not be opened",
        }
    }
}

/// The kinds of text iceoryx2 checks, each with its rules as iceoryx2 0.10 applies them
/// (`ServiceName`, `NodeName`, the `semantic_string!` types of `iceoryx2-bb-system-types`, the
/// attribute strings), so a refusal can say what is wrong with the text given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameRules {
    /// 1 to 255 bytes of ASCII without NUL, not starting with "iox2://".
    ServiceName,
    /// Up to 128 bytes of ASCII without NUL (empty: no name).
    NodeName,
    /// A file name (the config prefix): 1 to 255 bytes of ASCII without NUL, control characters
    /// or any of `/ \ < > " | ? *`, and not `.` or `..`.
    FileName,
    /// A directory (the config root path): up to 255 bytes of ASCII without NUL, control
    /// characters or any of `< > " | ? *`.
    Path,
    /// A file's path (a config file): as [`NameRules::Path`], but not empty and not naming a
    /// directory (`.`, `..`, or ending in `/`, `/.` or `/..`).
    FilePath,
    /// Up to 64 bytes of ASCII without NUL (empty: no name).
    PortName,
    /// 1 to 64 bytes of ASCII without NUL.
    AttributeKey,
    /// 1 to 256 bytes of ASCII without NUL.
    AttributeValue,
}

impl NameRules {
    fn max_len(self) -> usize {
        use iceoryx2::constants::*;
        match self {
            NameRules::ServiceName => MAX_SERVICE_NAME_LENGTH,
            NameRules::NodeName => MAX_NODE_NAME_LENGTH,
            NameRules::FileName => iceoryx2::prelude::FileName::max_len(),
            NameRules::Path => iceoryx2::prelude::Path::max_len(),
            NameRules::FilePath => iceoryx2::prelude::FilePath::max_len(),
            NameRules::PortName => iceoryx2::prelude::PortName::max_len(),
            NameRules::AttributeKey => MAX_ATTRIBUTE_KEY_LENGTH,
            NameRules::AttributeValue => MAX_ATTRIBUTE_VALUE_LENGTH,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            NameRules::ServiceName => "a service name",
            NameRules::NodeName => "a node name",
            NameRules::FileName => "a file name",
            NameRules::Path => "a path",
            NameRules::FilePath => "a file path",
            NameRules::PortName => "a port name",
            NameRules::AttributeKey => "an attribute key",
            NameRules::AttributeValue => "an attribute value",
        }
    }

    /// Printable ASCII characters these rules forbid (besides NUL, control characters and
    /// non-ASCII).
    fn forbidden(self) -> &'static [char] {
        match self {
            NameRules::FileName => &['/', '\\', '<', '>', '"', '|', '?', '*'],
            NameRules::Path | NameRules::FilePath => &['<', '>', '"', '|', '?', '*'],
            _ => &[],
        }
    }

    fn forbids_control_characters(self) -> bool {
        matches!(
            self,
            NameRules::FileName | NameRules::Path | NameRules::FilePath
        )
    }
}

/// What is wrong with `text` under `rules`, with the values: the first rule it breaks, or `None`
/// when it breaks none of them.
pub(crate) fn name_problem(rules: NameRules, text: &str) -> Option<String> {
    let noun = rules.noun();
    let max = rules.max_len();
    if text.is_empty() {
        return match rules {
            NameRules::NodeName | NameRules::PortName | NameRules::Path => None,
            _ => Some(format!("it is empty; {noun} needs at least one character")),
        };
    }
    if rules == NameRules::ServiceName
        && text.starts_with(iceoryx2::service::service_name::INTERNAL_SERVICE_PREFIX)
    {
        return Some(format!(
            "it starts with {:?}, which iceoryx2 reserves for its own services",
            iceoryx2::service::service_name::INTERNAL_SERVICE_PREFIX
        ));
    }
    if text.len() > max {
        return Some(format!(
            "it is {} bytes long, more than the {max} bytes {noun} can hold; shorten it",
            text.len()
        ));
    }
    for (index, c) in text.char_indices() {
        if !c.is_ascii() || c == '\0' {
            return Some(format!(
                "it contains {c:?} at byte {index}; {noun} may hold only ASCII characters other \
                 than NUL"
            ));
        }
        if rules.forbids_control_characters() && (c as u32) < 0x20 {
            return Some(format!(
                "it contains the control character {c:?} at byte {index}; {noun} may not hold \
                 control characters"
            ));
        }
        if rules.forbidden().contains(&c) {
            let all: Vec<String> = rules.forbidden().iter().map(char::to_string).collect();
            return Some(format!(
                "it contains {c:?} at byte {index}; {noun} may not hold any of {}",
                all.join(" ")
            ));
        }
    }
    let names_directory = match rules {
        NameRules::FileName => matches!(text, "." | ".."),
        NameRules::FilePath => {
            matches!(text, "." | "..")
                || text.ends_with('/')
                || text.ends_with("/.")
                || text.ends_with("/..")
        }
        _ => false,
    };
    if names_directory {
        return Some(format!(
            "it names a directory, not a file; {noun} must name a file"
        ));
    }
    None
}

/// `'text'` escaped; text past `max` bytes (too long to be valid) shows only its start.
fn quoted(text: &str, max: usize) -> String {
    const SHOWN: usize = 64;
    match text.char_indices().nth(SHOWN) {
        Some((end, _)) if text.len() > max => format!("'{}...'", text[..end].escape_debug()),
        _ => format!("'{}'", text.escape_debug()),
    }
}

/// The message for `text`, refused by iceoryx2 as `what` (e.g. "service name") with `error`:
/// what is wrong with it, or iceoryx2's sentence for `error` when no rule we know says.
/// An `InvalidName` error for `text`, as [`invalid_name`] words it.
pub(crate) fn invalid_name_error(
    what: &str,
    rules: NameRules,
    text: &str,
    error: &dyn Explain,
) -> Error {
    Error::new(
        ErrorKind::InvalidName,
        invalid_name(what, rules, text, error),
    )
}

pub(crate) fn invalid_name(
    what: &str,
    rules: NameRules,
    text: &str,
    error: &dyn Explain,
) -> String {
    let problem = name_problem(rules, text).unwrap_or_else(|| error.explain().to_string());
    format!(
        "{what} {} is invalid: {problem} (iceoryx2: {error:?})",
        quoted(text, rules.max_len())
    )
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
    fn iceoryx2_errors_say_what_happened_and_keep_their_variant_last() {
        let error = LoanError::ExceedsMaxLoans.into_error("loan");
        assert_eq!(error.kind, ErrorKind::ExceedsMaxLoans);
        assert!(
            error
                .message
                .starts_with("loan: the port already holds as many loans as it allows; "),
            "{error}"
        );
        assert!(error.message.contains("maxLoanedSamples"), "{error}");
        assert!(
            error.message.ends_with(" (iceoryx2: ExceedsMaxLoans)"),
            "{error}"
        );
    }

    #[test]
    fn wrapped_variants_take_the_inner_sentence_and_keep_the_whole_variant() {
        let error = SendError::LoanError(LoanError::OutOfMemory).into_error("send");
        assert_eq!(error.kind, ErrorKind::OutOfMemory);
        assert_eq!(
            error.message,
            format!(
                "send: {} (iceoryx2: LoanError(OutOfMemory))",
                LoanError::OutOfMemory.explain()
            )
        );
        let opened = PublishSubscribeOpenOrCreateError::PublishSubscribeOpenError(
            PublishSubscribeOpenError::DoesNotExist,
        );
        assert_eq!(opened.explain(), say::DOES_NOT_EXIST);
    }

    #[test]
    fn a_call_site_may_name_its_values_instead() {
        let error = PublisherCreateError::ExceedsMaxSupportedPublishers
            .into_error_with("cannot create publisher", |_| Some("all 2 taken".into()));
        assert_eq!(
            error.message,
            "cannot create publisher: all 2 taken (iceoryx2: ExceedsMaxSupportedPublishers)"
        );
        let error = PublisherCreateError::UnableToCreatePortTag
            .into_error_with("cannot create publisher", |_| None);
        assert_eq!(
            error.message,
            format!(
                "cannot create publisher: {} (iceoryx2: UnableToCreatePortTag)",
                say::PORT_TAG
            )
        );
    }

    #[test]
    fn sentences_are_clauses_that_continue_a_context() {
        let sentences = [
            LoanError::ExceedsMaxLoanSize.explain(),
            ReceiveError::ExceedsMaxBorrows.explain(),
            PublishSubscribeOpenError::DoesNotSupportRequestedMinBufferSize.explain(),
            PublishSubscribeOpenError::IncompatibleOverflowBehavior.explain(),
            SubscriberCreateError::ExceedsMaxSupportedSubscribers.explain(),
            EventCreateError::EventIdExceedsMaxSupportedValue.explain(),
            RequestSendError::ExceedsMaxActiveRequests.explain(),
            BlackboardCreateError::NoEntriesProvided.explain(),
            say::INTERNAL,
            say::TOO_MANY_NODES,
        ];
        for sentence in sentences {
            assert!(
                sentence.starts_with(|c: char| c.is_ascii_lowercase()),
                "{sentence}"
            );
            assert!(
                !sentence.ends_with('.') && !sentence.contains("  "),
                "{sentence}"
            );
        }
        assert!(ServiceNameError::ExceedsMaximumLength
            .explain()
            .contains(&iceoryx2::constants::MAX_SERVICE_NAME_LENGTH.to_string()));
        assert_eq!(
            PublishSubscribeOpenError::DoesNotSupportRequestedMinBufferSize.explain(),
            "the service was created with a smaller subscriberMaxBufferSize than this opener \
             requires; require at most the service's value, or leave subscriberMaxBufferSize unset"
        );
    }

    /// Our rules say a text is wrong exactly when iceoryx2 refuses it.
    #[test]
    fn name_rules_agree_with_iceoryx2() {
        use iceoryx2::prelude::NodeName;
        use iceoryx2::prelude::{FileName, FilePath, Path, SemanticString};
        use iceoryx2::service::attribute::{AttributeKey, AttributeValue};
        use iceoryx2::service::service_name::ServiceName;

        let long = |n: usize| "x".repeat(n);
        let texts: Vec<String> = [
            "",
            "a",
            "My/Service",
            "iox2://x",
            "é",
            "a\0b",
            "a\tb",
            "a\u{7f}b",
            "a/b",
            "a\\b",
            "a<b",
            "a>b",
            "a\"b",
            "a|b",
            "a?b",
            "a*b",
            "a:b",
            "a b",
            ".",
            "..",
            "dir/",
            "dir/.",
            "dir/..",
            "/tmp/x",
            "./x",
        ]
        .into_iter()
        .map(String::from)
        .chain([63, 64, 65, 127, 128, 129, 255, 256, 257].map(long))
        .collect();
        type Check = fn(&str) -> bool;
        let refusals: [(NameRules, Check); 7] = [
            (NameRules::ServiceName, |t| ServiceName::new(t).is_err()),
            (NameRules::NodeName, |t| NodeName::new(t).is_err()),
            (NameRules::FileName, |t| {
                FileName::new(t.as_bytes()).is_err()
            }),
            (NameRules::Path, |t| Path::new(t.as_bytes()).is_err()),
            (NameRules::FilePath, |t| {
                FilePath::new(t.as_bytes()).is_err()
            }),
            (NameRules::AttributeKey, |t| {
                AttributeKey::new(t.as_bytes()).is_err()
            }),
            (NameRules::AttributeValue, |t| {
                AttributeValue::new(t.as_bytes()).is_err()
            }),
        ];
        for (rules, refused) in refusals {
            for text in &texts {
                assert_eq!(
                    name_problem(rules, text).is_some(),
                    refused(text),
                    "{rules:?} {text:?}: {:?}",
                    name_problem(rules, text)
                );
            }
        }
    }

    #[test]
    fn invalid_names_say_what_is_wrong_with_the_value() {
        let empty = invalid_name(
            "service name",
            NameRules::ServiceName,
            "",
            &ServiceNameError::InvalidContent,
        );
        assert_eq!(
            empty,
            "service name '' is invalid: it is empty; a service name needs at least one \
             character (iceoryx2: InvalidContent)"
        );
        let long = invalid_name(
            "node name",
            NameRules::NodeName,
            &"n".repeat(300),
            &SemanticStringError::ExceedsMaximumLength,
        );
        assert!(
            long.contains(
                "is invalid: it is 300 bytes long, more than the 128 bytes a node name can hold"
            ),
            "{long}"
        );
        assert!(long.contains(&format!("'{}...'", "n".repeat(64))), "{long}");
        let slash = invalid_name(
            "config prefix",
            NameRules::FileName,
            "a/b",
            &SemanticStringError::InvalidContent,
        );
        assert_eq!(
            slash,
            "config prefix 'a/b' is invalid: it contains '/' at byte 1; a file name may not hold \
             any of / \\ < > \" | ? * (iceoryx2: InvalidContent)"
        );
        let nul = invalid_name(
            "node name",
            NameRules::NodeName,
            "a\0b",
            &SemanticStringError::InvalidContent,
        );
        assert!(
            nul.starts_with("node name 'a\\0b' is invalid: it contains '\\0' at byte 1"),
            "{nul}"
        );
        // Text within the maximum is shown whole, however long.
        let path = format!("/tmp/{}/a|b", "d".repeat(100));
        let pipe = invalid_name(
            "config root path",
            NameRules::Path,
            &path,
            &SemanticStringError::InvalidContent,
        );
        assert!(pipe.contains(&format!("'{path}'")), "{pipe}");
        // A text our rules accept falls back to iceoryx2's sentence.
        let fallback = invalid_name(
            "node name",
            NameRules::NodeName,
            "fine",
            &SemanticStringError::InvalidContent,
        );
        assert!(
            fallback.ends_with(&format!(
                "{} (iceoryx2: InvalidContent)",
                SemanticStringError::InvalidContent.explain()
            )),
            "{fallback}"
        );
    }
}
