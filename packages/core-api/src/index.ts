/**
 * iceoryx2-js core API: runtime-agnostic types, results, errors, struct layouts and the public
 * API over the backend interface. Import it through a runtime adapter (`@iceoryx2-js/node`,
 * `@iceoryx2-js/deno`, `@iceoryx2-js/bun`), which installs its backend. What adapters and this
 * project's own tools need beyond it is in `@iceoryx2-js/core-api/internal`.
 * @module
 */
export { ERROR_KINDS, Iox2Error, isErrorKind, type ErrorKind } from "./errors.js";
export { Ok, Err, ok, err, attempt, type Result, type ResultMethods } from "./result.js";
export * from "./layout.js";
export { Resource } from "./lifecycle.js";
export { LAYOUT_ATTRIBUTE_PREFIX } from "./layout-attribute.js";
export { setLogLevel, libraryInfo, LOG_LEVELS, type LogLevel, type LibraryInfo } from "./diagnostics.js";
export { NodeBuilder, Node, ServiceBuilder, terminationSignal, type ConfigOptions } from "./node.js";
export {
  ServiceBuilderBase,
  type Attribute,
  type AttributesSpec,
  type OpenMode,
  type ServiceWithAttributes,
} from "./service-builder.js";
export { type SendingPortOptions } from "./port-builder.js";
export {
  Service,
  MESSAGING_PATTERNS,
  resolveConfig,
  isolatedConfig,
  type MessagingPattern,
  type NodeStateName,
  type NodeInfo,
  type CleanupReport,
  type ServiceInfo,
  type ServiceInfoBase,
  type MessageTypeDetails,
  type RequestResponseServiceQos,
  type BlackboardServiceQos,
  type Defaults,
  type DefaultsOverrides,
  type PublishSubscribeDefaults,
  type EventDefaults,
  type RequestResponseDefaults,
  type BlackboardDefaults,
  type ResolvedConfig,
} from "./discovery.js";
export {
  PublishSubscribeServiceBuilder,
  PublishSubscribeService,
  PublisherBuilder,
  Publisher,
  SubscriberBuilder,
  Subscriber,
  type PublishSubscribeQos,
  type PublishSubscribeStaticConfig,
  type AllocationStrategy,
  type BackpressureStrategy,
  type PublisherOptions,
} from "./publish-subscribe.js";
export {
  PubSubEvent,
  RequestResponseEvent,
  EventServiceBuilder,
  EventService,
  NotifierBuilder,
  Notifier,
  ListenerBuilder,
  Listener,
  type EventId,
  type EventActivation,
  type EventQos,
  type EventStaticConfig,
} from "./event.js";
export { type WaitOptions, type StreamOptions, type AbortSignalLike, DEFAULT_POLL_INTERVAL_MS } from "./waiting.js";
export {
  WaitSetBuilder,
  WaitSet,
  WaitSetGuard,
  WaitSetAttachmentId,
  type CallbackProgression,
  type WaitSetRunResult,
  type WaitSetCallback,
  type AttachmentKind,
} from "./waitset.js";
export {
  RequestResponseServiceBuilder,
  RequestResponseService,
  ClientBuilder,
  Client,
  RequestMut,
  PendingResponse,
  Response,
  ServerBuilder,
  Server,
  ActiveRequest,
  ResponseMut,
  type RequestResponseQos,
  type RequestResponseStaticConfig,
  type Header,
  type HeaderInit,
} from "./request-response.js";
export {
  BlackboardCreator,
  BlackboardOpener,
  BlackboardService,
  BlackboardValue,
  WriterBuilder,
  Writer,
  EntryHandleMut,
  EntryValue,
  ReaderBuilder,
  Reader,
  EntryHandle,
  type BlackboardQos,
  type BlackboardStaticConfig,
} from "./blackboard.js";
export { SampleMut, Sample, type PayloadView, type PayloadInit, type HeaderView } from "./sample.js";
export { typeDetailsOf, type TypeDetails } from "./type-details.js";
