import type { ServiceIdentity } from "../ports/service-builder.js";
import { portName, withName } from "../ports/port-name.js";
import type { ClientInfo, RequestHeader, RequestResponsePorts, RequestResponseQos, ResponseHeader, SendingPortSettings, ServerInfo } from "../generated/control.js";

/** Who sent a request, and who sent a response: declared once, in the Rust core. */
export type { RequestHeader, ResponseHeader };
import { SampleInfo, type Handle } from "../native/backend.js";
import type { Native } from "../native/native.js";
import { Iox2Error } from "../base/errors.js";
import type { AnyLayoutType, PayloadType } from "../layout/index.js";
import { nativeOf, Resource } from "../ports/lifecycle.js";
import type { Node } from "../node/node.js";
import { attempt, err, ok, type Result } from "../base/result.js";
import { Companion, RequestResponseEvent, wokenBy } from "./event.js";
import type { StreamOptions } from "../ports/waiting.js";
import { RequestView, SampleBase, sliceCopyBytes, type Consume, type HeaderView, type PayloadInit, type PayloadView } from "../ports/sample.js";
import { headerDetailsOf, typeDetailsOf, type TypeDetails } from "../layout/type-details.js";
import { checkAlignment, checkCounts, checkSchemaPath, MAX_COUNT, ServiceBuilderBase, type Attribute, type OpenMode } from "../ports/service-builder.js";
import { SendingPortBuilder, type BackpressureStrategy, type SendingPortOptions } from "../ports/port-builder.js";
import { closePortEvents } from "../ports/port-events.js";
import type { LayoutRole } from "../layout/attribute.js";
import { flatbufferBytes, flatbufferLoanRefused, flatbufferSpec, type FlatbufferSpec } from "../layout/flatbuffer.js";

/** Sends a loaned response (a constant function: nothing is allocated per send). */
const sendResponse: Consume = (native, handle, buffer) => native.ops.responseSend(handle, buffer);

/** The type of a request or response user header: a fixed-size layout type, or `undefined` for none. */
export type Header = AnyLayoutType | undefined;
/** What `userHeader = value` and the `userHeader` argument of `sendCopy` accept. */
export type HeaderInit<H> = H extends AnyLayoutType ? PayloadInit<H> : never;

/** Quality of service of a request-response service: declared once, in the Rust core. */
export type { ClientInfo, RequestResponsePorts, RequestResponseQos, ServerInfo };

/** The static configuration of an open service, as iceoryx2 stores it. */
export interface RequestResponseStaticConfig extends ServiceIdentity {
  /** The service name. */
  name: string;
  /** The request payload type. */
  requestPayload: TypeDetails;
  /** The request user header type; upstream's unit type `()` (size 0) when there is none. */
  requestUserHeader: TypeDetails;
  /** The response payload type. */
  responsePayload: TypeDetails;
  /** The response user header type; upstream's unit type `()` (size 0) when there is none. */
  responseUserHeader: TypeDetails;
  /** The QoS the service was created with, every value set. */
  qos: Required<RequestResponseQos>;
  /** The attributes the creator defined. */
  attributes: Attribute[];
}

const QOS_FLAGS = ["enableSafeOverflowForRequests", "enableSafeOverflowForResponses", "enableFireAndForgetRequests"] as const;

/**
 * Builds a request-response service (upstream's `service_builder(name).request_response::<Req, Res>()`):
 * clients send requests of type `Req`, servers answer each with a stream of responses of type `Res`.
 *
 * QoS setters only record a value; `create()`, `open()` and `openOrCreate()` check them. When
 * creating, a value not set comes from the node's config (`[defaults.request-response]`, see
 * {@link ConfigOptions}; the `@defaultValue` shown is iceoryx2's built-in value). When opening,
 * a value set is a requirement (counts are minimums, flags must match; otherwise
 * `IncompatibleQos`); a value not set is no requirement. Counts must be integers from 1 up to
 * this library's limit (65536; 4096 for `maxServers`, `maxClients` and `maxNodes`), else
 * `InvalidArgument`.
 *
 * Responses can be lost without an error; see `maxResponseBufferSize` and
 * `enableSafeOverflowForResponses`.
 */
export class RequestResponseServiceBuilder<
  Req extends PayloadType,
  ReqH extends Header,
  Res extends PayloadType,
  ResH extends Header,
> extends ServiceBuilderBase<RequestResponseService<Req, ReqH, Res, ResH>> {
  readonly #qos: RequestResponseQos = {};
  readonly #alignments: { requestPayloadAlignment?: number; responsePayloadAlignment?: number } = {};
  readonly #schemaPaths: { requestFlatbufferSchemaPath?: string; responseFlatbufferSchemaPath?: string } = {};

  /**
   * @internal Created by `node.serviceBuilder(name).requestResponse(request, response)`.
   * @param requestPayloadType The request payload's layout type.
   * @param requestUserHeaderType The request user header's layout type; `undefined` without one.
   * @param responsePayloadType The response payload's layout type.
   * @param responseUserHeaderType The response user header's layout type; `undefined` without one.
   */
  constructor(
    node: Node,
    name: string,
    readonly requestPayloadType: Req,
    readonly requestUserHeaderType: ReqH,
    readonly responsePayloadType: Res,
    readonly responseUserHeaderType: ResH,
  ) {
    super(node, name);
  }

  #derive<ReqH2 extends Header, ResH2 extends Header>(requestHeader: ReqH2, responseHeader: ResH2): RequestResponseServiceBuilder<Req, ReqH2, Res, ResH2> {
    const next = new RequestResponseServiceBuilder(this.node, this.name, this.requestPayloadType, requestHeader, this.responsePayloadType, responseHeader);
    Object.assign(next.#qos, this.#qos);
    Object.assign(next.#alignments, this.#alignments);
    Object.assign(next.#schemaPaths, this.#schemaPaths);
    this.copyAttributesTo(next);
    return next;
  }

  /** Adds a user header of type `header` to every request (upstream's `request_user_header::<T>()`). */
  requestUserHeader<H2 extends AnyLayoutType>(header: H2): RequestResponseServiceBuilder<Req, H2, Res, ResH> {
    return this.#derive(header, this.responseUserHeaderType);
  }

  /** Adds a user header of type `header` to every response (upstream's `response_user_header::<T>()`). */
  responseUserHeader<H2 extends AnyLayoutType>(header: H2): RequestResponseServiceBuilder<Req, ReqH, Res, H2> {
    return this.#derive(this.requestUserHeaderType, header);
  }

  /**
   * How many requests a client may have in flight at once (sent, pending response still open);
   * sending one more fails with `LimitReached`. It is also the length of each server's request
   * buffer per client. A client may lower its own limit with `ClientBuilder.maxActiveRequests`.
   * @defaultValue 4 (config `defaults.request-response.max-active-requests-per-client`)
   */
  maxActiveRequestsPerClient(value: number): this {
    this.#qos.maxActiveRequestsPerClient = value;
    return this;
  }
  /**
   * How many requests a client may have loaned at once (loaned, not yet sent or released); one
   * more `loan()` fails with `ExceedsMaxLoans`.
   * @defaultValue 2 (config `defaults.request-response.max-loaned-requests`)
   */
  maxLoanedRequests(value: number): this {
    this.#qos.maxLoanedRequests = value;
    return this;
  }
  /**
   * How many responses a pending response can queue from each server (responses sent but not yet
   * taken with `receive()`); with several servers the client buffers up to this many per server.
   *
   * A server may send any number of responses per request, but when it sends faster than the
   * client receives, the queue fills up, and then the service's `enableSafeOverflowForResponses`
   * decides. Enabled (iceoryx2's default), each further response silently replaces the oldest
   * response the client has not received: `send()` succeeds on the server and the client never
   * sees the overwritten responses. Disabled, the server's `backpressure` strategy decides:
   * `"retryUntilDelivered"` blocks the server's thread until the client receives one (or closes
   * the pending response), `"discardData"` drops the new response, again without an error. So
   * make this at least the number of responses a server sends per request when no response may
   * be lost, or have the client receive them as they come (`pendingResponse.responses()`).
   * Responses the client holds do not count here; `maxBorrowedResponsesPerPendingResponse`
   * limits those.
   * @defaultValue 2 (config `defaults.request-response.max-response-buffer-size`)
   */
  maxResponseBufferSize(value: number): this {
    this.#qos.maxResponseBufferSize = value;
    return this;
  }
  /**
   * The most servers the service supports at once; creating one more fails with `LimitReached`.
   * @defaultValue 2 (config `defaults.request-response.max-servers`)
   */
  maxServers(value: number): this {
    this.#qos.maxServers = value;
    return this;
  }
  /**
   * The most clients the service supports at once; creating one more fails with `LimitReached`.
   * @defaultValue 8 (config `defaults.request-response.max-clients`)
   */
  maxClients(value: number): this {
    this.#qos.maxClients = value;
    return this;
  }
  /**
   * The most nodes (in practice: processes) that may have the service open at once; opening it
   * from one more fails with `LimitReached`.
   * @defaultValue 20 (config `defaults.request-response.max-nodes`)
   */
  maxNodes(value: number): this {
    this.#qos.maxNodes = value;
    return this;
  }
  /**
   * How many responses of one pending response the client may hold at once (received, not yet
   * released); `receive()` beyond that fails with `ExceedsMaxBorrows` until one is released.
   * @defaultValue 2 (config `defaults.request-response.max-borrowed-responses-per-pending-response`)
   */
  maxBorrowedResponsesPerPendingResponse(value: number): this {
    this.#qos.maxBorrowedResponsesPerPendingResponse = value;
    return this;
  }
  /**
   * What a client's send does when a server's buffer for that client's requests
   * (`maxActiveRequestsPerClient` long) is full, which can happen once clients close pending
   * responses of requests the server has not received yet. Enabled, the oldest request the
   * server has not received is dropped without an error (its client gets no response to it).
   * Disabled, the client's `backpressure` strategy decides (blocking or dropping the new
   * request). When opening, the service's setting must be the same.
   * @defaultValue true (config `defaults.request-response.enable-safe-overflow-for-requests`)
   */
  enableSafeOverflowForRequests(value: boolean): this {
    this.#qos.enableSafeOverflowForRequests = value;
    return this;
  }
  /**
   * What a server's send does when a pending response's queue (`maxResponseBufferSize` per
   * server) is full. Enabled, the new response replaces the oldest one the client has not
   * received, which is lost without an error on either side. Disabled, the server's
   * `backpressure` strategy decides: block until the client receives (`"retryUntilDelivered"`;
   * never with the client on the same thread) or drop the new response (`"discardData"`). See
   * `maxResponseBufferSize`. When opening, the service's setting must be the same.
   * @defaultValue true (config `defaults.request-response.enable-safe-overflow-for-responses`)
   */
  enableSafeOverflowForResponses(value: boolean): this {
    this.#qos.enableSafeOverflowForResponses = value;
    return this;
  }
  /**
   * Whether servers still receive requests whose client closed the pending response (or went
   * away) before the server took the request: they arrive with `isConnected` false, and
   * responses to them are discarded. Disabled, `receive()` skips such requests. When opening,
   * the service's setting must be the same.
   * @defaultValue true (config `defaults.request-response.enable-fire-and-forget-requests`)
   */
  enableFireAndForgetRequests(value: boolean): this {
    this.#qos.enableFireAndForgetRequests = value;
    return this;
  }

  /**
   * Aligns every request payload to at least `bytes` (a power of two up to 4096), beyond its
   * type's own alignment. Upstream's `request_payload_alignment`; peers must ask for the same.
   * @defaultValue the request type's own alignment
   */
  requestPayloadAlignment(bytes: number): this {
    this.#alignments.requestPayloadAlignment = bytes;
    return this;
  }

  /**
   * Aligns every response payload to at least `bytes` (a power of two up to 4096), beyond its
   * type's own alignment. Upstream's `response_payload_alignment`; peers must ask for the same.
   * @defaultValue the response type's own alignment
   */
  responsePayloadAlignment(bytes: number): this {
    this.#alignments.responsePayloadAlignment = bytes;
    return this;
  }

  /**
   * The binary schema (`.bfbs`) of a flatbuffer request payload: absolute, or relative to the
   * config's `flatbufferSchemaPath`. Upstream's `request_flatbuffer_schema_path`; without it
   * iceoryx2 looks for `<rootType>.bfbs` under the config's path.
   * @defaultValue none (looked up by root type)
   */
  requestFlatbufferSchemaPath(path: string): this {
    this.#schemaPaths.requestFlatbufferSchemaPath = path;
    return this;
  }

  /**
   * The binary schema (`.bfbs`) of a flatbuffer response payload, as
   * {@link requestFlatbufferSchemaPath}. Upstream's `response_flatbuffer_schema_path`.
   * @defaultValue none (looked up by root type)
   */
  responseFlatbufferSchemaPath(path: string): this {
    this.#schemaPaths.responseFlatbufferSchemaPath = path;
    return this;
  }

  protected override validate(): Iox2Error | undefined {
    const paths = this.#schemaPaths;
    const schema =
      checkSchemaPath("requestFlatbufferSchemaPath", paths.requestFlatbufferSchemaPath, this.requestPayloadType) ??
      checkSchemaPath("responseFlatbufferSchemaPath", paths.responseFlatbufferSchemaPath, this.responsePayloadType);
    if (schema !== undefined) return schema;
    for (const [name, value] of Object.entries(this.#alignments)) {
      const problem = checkAlignment(name, value);
      if (problem !== undefined) return problem;
    }
    for (const name of QOS_FLAGS) {
      const value = this.#qos[name];
      if (value !== undefined && typeof value !== "boolean") return new Iox2Error("InvalidArgument", `${name} must be a boolean`);
    }
    return checkCounts(this.#qos, () => 1);
  }

  protected override layoutTypes(): readonly { role: LayoutRole; type: PayloadType | undefined }[] {
    return [
      { role: "request", type: this.requestPayloadType },
      { role: "response", type: this.responsePayloadType },
      { role: "request-header", type: this.requestUserHeaderType },
      { role: "response-header", type: this.responseUserHeaderType },
    ];
  }

  protected openService(native: Native, node: Handle, spec: { name: string; mode: OpenMode }): RequestResponseService<Req, ReqH, Res, ResH> {
    const service = native.control("reqres.serviceOpen", node, {
      ...spec,
      requestPayload: typeDetailsOf(this.requestPayloadType),
      requestUserHeader: headerDetailsOf(this.requestUserHeaderType),
      responsePayload: typeDetailsOf(this.responsePayloadType),
      responseUserHeader: headerDetailsOf(this.responseUserHeaderType),
      qos: this.#qos,
      ...this.#alignments,
      requestFlatbuffer: flatbufferOf(this.requestPayloadType, this.#schemaPaths.requestFlatbufferSchemaPath),
      responseFlatbuffer: flatbufferOf(this.responsePayloadType, this.#schemaPaths.responseFlatbufferSchemaPath),
    });
    return new RequestResponseService(this.node, native, service, this.name, this);
  }
}

/** An open request-response service: the factory of its clients and servers. */
export class RequestResponseService<Req extends PayloadType, ReqH extends Header, Res extends PayloadType, ResH extends Header> extends Resource {
  /** The request payload type. */
  readonly requestPayloadType: Req;
  /** The request user header type; `undefined` without one. */
  readonly requestUserHeaderType: ReqH;
  /** The response payload type. */
  readonly responsePayloadType: Res;
  /** The response user header type; `undefined` without one. */
  readonly responseUserHeaderType: ResH;

  /**
   * @internal
   * @param node The node the service was opened or created through.
   * @param name The service name.
   */
  constructor(
    readonly node: Node,
    native: Native,
    handle: Handle,
    readonly name: string,
    types: RequestResponseServiceBuilder<Req, ReqH, Res, ResH>,
  ) {
    super(native, handle, node);
    this.requestPayloadType = types.requestPayloadType;
    this.requestUserHeaderType = types.requestUserHeaderType;
    this.responsePayloadType = types.responsePayloadType;
    this.responseUserHeaderType = types.responseUserHeaderType;
  }

  protected get label(): string {
    return `Service '${this.name}'`;
  }

  /** The service's static configuration (types and QoS), as stored by whoever created it. */
  staticConfig(): Result<RequestResponseStaticConfig> {
    return attempt(() => this.native.control("reqres.serviceInfo", this.handle));
  }

  /**
   * Every client and server the service has now, in every process, with ids, names, nodes and
   * settings (upstream's dynamic config: `list_clients`, `list_servers`).
   */
  ports(): Result<RequestResponsePorts> {
    return attempt(() => this.native.control("reqres.servicePorts", this.handle));
  }

  /** Starts building a client of this service. */
  clientBuilder(): ClientBuilder<Req, ReqH, Res, ResH> {
    return new ClientBuilder(this);
  }

  /** Starts building a server of this service. */
  serverBuilder(): ServerBuilder<Req, ReqH, Res, ResH> {
    return new ServerBuilder(this);
  }
}

/**
 * Builds a {@link Client} (upstream's `client_builder()`); made by
 * {@link RequestResponseService.clientBuilder}. Setters only record a value; `create()` checks
 * them (counts are integers from 1 up to this library's limit, else `InvalidArgument`).
 */
export class ClientBuilder<Req extends PayloadType, ReqH extends Header, Res extends PayloadType, ResH extends Header> extends SendingPortBuilder<
  SendingPortOptions & {
    /** Requests the client may have in flight at once (see `maxActiveRequests()`). */
    maxActiveRequests?: number;
    /** Requests the data segment holds (see `requestPreallocation()`). */
    requestPreallocation?: number }
> {
  /**
   * @internal
   * @param service The service the client will send requests on.
   */
  constructor(readonly service: RequestResponseService<Req, ReqH, Res, ResH>) {
    super();
  }

  /**
   * Requests this client may have in flight at once (at most the service's
   * `maxActiveRequestsPerClient`, else `create()` fails with `IncompatibleQos`); sending one
   * more fails with `LimitReached`.
   * @defaultValue the service's `maxActiveRequestsPerClient`, as the service was created
   */
  maxActiveRequests(value: number): this {
    this.options.maxActiveRequests = value;
    return this;
  }

  /**
   * How many requests the client's data segment holds (upstream's
   * `override_request_preallocation`). By default iceoryx2 preallocates for the worst case,
   * enough that a loan never fails while the client keeps within its limits; fewer save memory
   * for big requests, and when all are in use (loaned, or held by servers) `loan()` fails with
   * `OutOfMemory` until some return. Values above the worst case are lowered to it.
   * @defaultValue the worst case
   */
  requestPreallocation(requests: number): this {
    this.options.requestPreallocation = requests;
    return this;
  }

  /**
   * Creates the client. Fails with `LimitReached` when the service already has `maxClients`
   * clients, `IncompatibleQos` for a `maxActiveRequests` above the service's, `InvalidArgument`
   * for an option out of range, `HandleClosed` when the service is closed.
   */
  create(): Result<Client<Req, ReqH, Res, ResH>> {
    const invalid = this.checkOptions();
    if (invalid !== undefined) return err(invalid);
    return attempt(() => {
      const { native, handle } = nativeOf(this.service);
      return this.withPortEvents(native, "Client", (events) => {
        const client = native.control("reqres.clientCreate", handle, { ...this.options, ...events });
        return withName(new Client(this.service, native, client, this.notifies), this.options.name);
      });
    });
  }
}

/**
 * Builds a {@link Server} (upstream's `server_builder()`); made by
 * {@link RequestResponseService.serverBuilder}. Setters only record a value; `create()` checks
 * them (counts are integers from 1 up to this library's limit, else `InvalidArgument`).
 */
export class ServerBuilder<Req extends PayloadType, ReqH extends Header, Res extends PayloadType, ResH extends Header> extends SendingPortBuilder<
  SendingPortOptions & {
    /** Responses the server may have loaned at once per active request (see `maxLoanedResponsesPerRequest()`). */
    maxLoanedResponsesPerRequest?: number;
    /** Responses the data segment holds (see `responsePreallocation()`). */
    responsePreallocation?: number }
> {
  /**
   * @internal
   * @param service The service the server will answer requests on.
   */
  constructor(readonly service: RequestResponseService<Req, ReqH, Res, ResH>) {
    super();
  }

  /**
   * How many responses this server may have loaned at once per active request (loaned, not yet
   * sent or released); one more `loan()` fails with `ExceedsMaxLoans`. Upstream's
   * `max_loaned_responses_per_request`; the config key says `server-max-loaned-responses-per-request`.
   * @defaultValue 2 (config `defaults.request-response.server-max-loaned-responses-per-request`)
   */
  maxLoanedResponsesPerRequest(value: number): this {
    this.options.maxLoanedResponsesPerRequest = value;
    return this;
  }

  /**
   * How many responses the server's data segment holds (upstream's
   * `override_response_preallocation`). By default iceoryx2 preallocates for the worst case
   * (every client's every active request with full response buffers); fewer save memory for big
   * responses, and when all are in use (loaned, or held by clients) `loan()` fails with
   * `OutOfMemory` until some return. Values above the worst case are lowered to it.
   * @defaultValue the worst case
   */
  responsePreallocation(responses: number): this {
    this.options.responsePreallocation = responses;
    return this;
  }

  /**
   * Creates the server. Fails with `LimitReached` when the service already has `maxServers`
   * servers, `InvalidArgument` for an option out of range, `HandleClosed` when the service is closed.
   */
  create(): Result<Server<Req, ReqH, Res, ResH>> {
    const invalid = this.checkOptions();
    if (invalid !== undefined) return err(invalid);
    return attempt(() => {
      const { native, handle } = nativeOf(this.service);
      return this.withPortEvents(native, "Server", (events) => {
        const server = native.control("reqres.serverCreate", handle, { ...this.options, ...events });
        return withName(new Server(this.service, native, server, this.notifies), this.options.name);
      });
    });
  }
}

function flatbufferOf(type: PayloadType, schemaPath: string | undefined): FlatbufferSpec | undefined {
  return type.kind === "flatbuffer" ? flatbufferSpec(type, schemaPath) : undefined;
}

/** Rejects slice loans of fixed-size payloads and fixed-size loans of slices, before any native call. */
function checkLoan(type: PayloadType, length: number | undefined, what: string): Iox2Error | undefined {
  if (type.kind === "flatbuffer") return flatbufferLoanRefused(`the ${what} payload`);
  if (length === undefined) {
    return type.kind === "slice" ? new Iox2Error("InvalidArgument", `the ${what} payload is a slice of '${type.typeName}': use loanSlice(length)`) : undefined;
  }
  if (type.kind !== "slice") return new Iox2Error("InvalidArgument", `the ${what} payload '${type.typeName}' is not a slice: use loan()`);
  if (!Number.isInteger(length) || length < 1 || length > MAX_COUNT) {
    return new Iox2Error("InvalidArgument", `slice length must be an integer in 1..${MAX_COUNT}, got ${String(length)}`);
  }
  return undefined;
}

/** The bytes of a payload and user header for a send-copy operation (throws on mistyped values). */
function encodeCopy<P extends PayloadType, H extends Header>(
  payloadType: P,
  headerType: H,
  value: PayloadInit<P>,
  userHeader: HeaderInit<H> | undefined,
): { payload: Uint8Array; header: Uint8Array | null } {
  let payload: Uint8Array;
  if (payloadType.kind === "slice") {
    payload = sliceCopyBytes(payloadType, value);
  } else if (payloadType.kind === "flatbuffer") {
    payload = flatbufferBytes(value);
  } else {
    payload = new Uint8Array(payloadType.size);
    payloadType.set(new DataView(payload.buffer), 0, value);
  }
  let header: Uint8Array | null = null;
  if (userHeader !== undefined) {
    if (headerType === undefined) throw new Iox2Error("InvalidArgument", "this service has no user header for this direction");
    header = new Uint8Array(headerType.size);
    headerType.set(new DataView(header.buffer), 0, userHeader);
  }
  return { payload, header };
}

/** Sends requests and gets a {@link PendingResponse} for each, through which its responses arrive. */
export class Client<Req extends PayloadType, ReqH extends Header, Res extends PayloadType, ResH extends Header> extends Resource {
  /** The request payload type. */
  readonly requestPayloadType: Req;
  /** The request user header type; `undefined` without one. */
  readonly requestUserHeaderType: ReqH;
  /** The response payload type. */
  readonly responsePayloadType: Res;
  /** The response user header type; `undefined` without one. */
  readonly responseUserHeaderType: ResH;

  /** @internal The event service of the same name: wake-ups for `responses()`, notifications on send. */
  readonly companion: Companion;
  readonly #notifyOnSend: boolean;

  /** @internal */
  constructor(service: RequestResponseService<Req, ReqH, Res, ResH>, native: Native, handle: Handle, notifyOnSend = false) {
    super(native, handle, service);
    this.requestPayloadType = service.requestPayloadType;
    this.requestUserHeaderType = service.requestUserHeaderType;
    this.responsePayloadType = service.responsePayloadType;
    this.responseUserHeaderType = service.responseUserHeaderType;
    this.companion = new Companion(service);
    this.#notifyOnSend = notifyOnSend;
  }

  protected get label(): string {
    return "Client";
  }

  #id: string | undefined;

  /**
   * This client's system-wide unique id, as upstream prints it (hexadecimal): the same in every
   * process and language that looks at it. Read once while open, then remembered.
   */
  get id(): string {
    return (this.#id ??= this.native.control("reqres.clientId", this.handle));
  }

  /** The name the port was built with (`name(…)` on its builder); "" when it has none. */
  get name(): string {
    return portName(this);
  }

  #settings: SendingPortSettings | undefined;
  /** Its settings, read once while open, then remembered (they never change). */
  #portSettings(): SendingPortSettings {
    return (this.#settings ??= this.native.control("reqres.clientSettings", this.handle));
  }
  /** Requests it may have in flight at once (`maxActiveRequests` on its builder, else the service's). */
  get maxActiveRequests(): number {
    return this.#portSettings().maxActiveRequests!;
  }
  /** Slice requests: the element count its data segment was first sized for. */
  get initialMaxSliceLen(): number {
    return this.#portSettings().initialMaxSliceLen;
  }
  /** What a send does when a server's buffer is full (the effective `backpressure`). */
  get backpressureStrategy(): BackpressureStrategy {
    return this.#portSettings().backpressureStrategy;
  }

  /** Connects to servers that appeared since (upstream's `update_connections`; a send does it as well). */
  updateConnections(): Result<void> {
    return attempt(() => void this.native.ops.clientUpdateConnections(this.handle, 0));
  }

  /** @internal Notifies the servers' `requests()` after a send, when built with `notifyOnSend()`. */
  afterSend<T>(sent: Result<T>): Result<T> {
    if (!this.#notifyOnSend || sent.isErr()) return sent;
    const notified = this.companion.notify(RequestResponseEvent.RequestSent);
    return notified.isErr() ? err(notified.error) : sent;
  }

  protected override onClosed(): void {
    this.companion.close();
    closePortEvents(this);
  }

  #loan(length: number | undefined, zeroed: boolean): Result<RequestMut<Req, ReqH, Res, ResH>> {
    const invalid = checkLoan(this.requestPayloadType, length, "request");
    if (invalid !== undefined) return err(invalid);
    return attempt(() => {
      this.native.ops.clientLoan(this.handle, length ?? 1, zeroed ? 1 : 0);
      const request = new RequestMut(this, this.native);
      if (zeroed) request.initializeZeroed();
      return request;
    });
  }

  /** Loans a request whose payload and user header start zeroed; fails with `ExceedsMaxLoans` beyond `maxLoanedRequests`. */
  loan(): Result<RequestMut<Req, ReqH, Res, ResH>> {
    return this.#loan(undefined, true);
  }

  /** Loans a request without clearing it: the bytes are whatever the chunk held before. */
  loanUninit(): Result<RequestMut<Req, ReqH, Res, ResH>> {
    return this.#loan(undefined, false);
  }

  /** Loans a slice request of `length` elements, zeroed. */
  loanSlice(length: number): Result<RequestMut<Req, ReqH, Res, ResH>> {
    return this.#loan(length, true);
  }

  /** Loans a slice request of `length` elements without clearing it. */
  loanSliceUninit(length: number): Result<RequestMut<Req, ReqH, Res, ResH>> {
    return this.#loan(length, false);
  }

  /**
   * Copies `value` (and `userHeader`) into a new request and sends it in one native call.
   * Fails with `LimitReached` when `maxActiveRequests` pending responses are alive. With no
   * server the request still goes out: the pending response has `numberOfServerConnections`
   * 0, `isConnected` false and never receives anything.
   */
  sendCopy(value: PayloadInit<Req>, userHeader?: HeaderInit<ReqH>): Result<PendingResponse<Req, ReqH, Res, ResH>> {
    return attempt(() => {
      const handle = this.handle;
      const { payload, header } = encodeCopy(this.requestPayloadType, this.requestUserHeaderType, value, userHeader);
      const pending = this.native.ops.clientSendCopy(handle, payload, header);
      try {
        this.native.ops.pendingResponseRequest(pending, 0, 0);
      } catch (error) {
        this.native.close(pending);
        throw error;
      }
      return new PendingResponse(this, this.native);
    }).andThen((pending) => this.afterSend(ok(pending)));
  }
}

/**
 * A loaned request: its payload and user header are writable, zero-copy views into shared
 * memory. `send()` sends it to every server and returns its {@link PendingResponse};
 * `release()` (or `close()`) gives it back unsent. After either, every view of it throws
 * `SampleReleased`.
 */
export class RequestMut<Req extends PayloadType, ReqH extends Header, Res extends PayloadType, ResH extends Header> extends SampleBase<Req, ReqH> {
  readonly #client: Client<Req, ReqH, Res, ResH>;

  /** @internal Created by `Client.loan*()`. */
  constructor(client: Client<Req, ReqH, Res, ResH>, native: Native) {
    super(client, native, client.requestPayloadType, client.requestUserHeaderType);
    this.#client = client;
  }

  protected get label(): string {
    return "RequestMut";
  }

  protected get readonly(): boolean {
    return false;
  }

  override get payload(): PayloadView<Req> {
    return super.payload;
  }

  /** Writes the whole payload (checked against the type). */
  override set payload(value: PayloadInit<Req>) {
    this.writePayload(value);
  }

  override get userHeader(): HeaderView<ReqH> {
    return super.userHeader;
  }

  /** Writes the whole user header (checked against the type). */
  override set userHeader(value: HeaderInit<ReqH>) {
    this.writeUserHeader(value);
  }

  /** The payload's raw bytes: a writable zero-copy view (detached after send/release). */
  get payloadBytes(): Uint8Array {
    return this.rawPayload();
  }

  /**
   * Sends the request to every connected server; the request is consumed either way. Fails
   * with `LimitReached` when the client already has `maxActiveRequests` pending responses.
   * Without servers it succeeds with a pending response that has 0 server connections.
   */
  send(): Result<PendingResponse<Req, ReqH, Res, ResH>> {
    let pending: PendingResponse<Req, ReqH, Res, ResH> | undefined;
    return this.consume((native, handle, buffer) => {
      if (buffer !== null) native.backend.detach(buffer);
      native.ops.requestSend(handle, 0, 0);
      pending = new PendingResponse(this.#client, native);
      return 0;
    }).andThen(() => this.#client.afterSend(ok(pending!)));
  }
}

/**
 * What a pending response and an active request share: a resource made from a request, whose
 * `payload` and `userHeader` read that request (read-only, zero-copy) while it is open.
 */
abstract class RequestHolder<Req extends PayloadType, ReqH extends Header> extends Resource {
  readonly #request: RequestView<Req, ReqH>;

  /** Made right after the memory operation that handed out the request. */
  protected constructor(parent: Resource, native: Native, payloadType: Req, headerType: ReqH, label: string) {
    super(native, native.backend.sampleInfo[SampleInfo.handle]!, parent);
    try {
      this.#request = new RequestView(this, native, payloadType, headerType, label);
    } catch (error) {
      // Never leave the request borrowed behind an object the caller does not get.
      this.close();
      throw error;
    }
  }

  /** The request's payload: a value for primitives, a read-only zero-copy view otherwise. */
  get payload(): PayloadView<Req> {
    return this.#request.payload;
  }

  /** The request's user header, as `payload` is; `undefined` when the service has none. */
  get userHeader(): HeaderView<ReqH> {
    return this.#request.userHeader;
  }

  /** Number of request payload elements: 1 for fixed-size payloads, the slice length otherwise. */
  get length(): number {
    return this.#request.length;
  }

  /** A copy of the request's payload bytes. */
  copyPayloadBytes(): Uint8Array {
    return this.#request.copyPayloadBytes();
  }
}

/**
 * A sent request, waiting for its stream of responses. `payload` and `userHeader` read the sent
 * request (read-only). `receive()` takes the next response without blocking. `close()` (or
 * dropping it) tells the servers nobody listens any more: their `ActiveRequest.isConnected`
 * turns false, and responses they still send are discarded. Closing it closes its received
 * responses too.
 */
export class PendingResponse<Req extends PayloadType, ReqH extends Header, Res extends PayloadType, ResH extends Header> extends RequestHolder<Req, ReqH> {
  /** The response payload type. */
  readonly responsePayloadType: Res;
  /** The response user header type; `undefined` without one. */
  readonly responseUserHeaderType: ResH;
  /** How many servers received the request when it was sent (0 without servers). */
  readonly numberOfServerConnections: number;

  readonly #client: Client<Req, ReqH, Res, ResH>;

  /** @internal Created by `RequestMut.send()` and `Client.sendCopy()`. */
  constructor(client: Client<Req, ReqH, Res, ResH>, native: Native) {
    super(client, native, client.requestPayloadType, client.requestUserHeaderType, "PendingResponse");
    this.#client = client;
    this.responsePayloadType = client.responsePayloadType;
    this.responseUserHeaderType = client.responseUserHeaderType;
    this.numberOfServerConnections = native.ops.pendingResponseServerConnections(this.handle, 0);
  }

  protected get label(): string {
    return "PendingResponse";
  }

  protected override closedError(): Iox2Error {
    return new Iox2Error("HandleClosed", "PendingResponse is closed");
  }

  /**
   * True while at least one server holds the request's `ActiveRequest`; false once every
   * server ended the stream (closed it), when no server received the request, and after
   * `close()`. Responses already queued can still be received after it turns false.
   */
  get isConnected(): boolean {
    if (this.isClosed) return false;
    try {
      return this.native.ops.pendingResponseIsConnected(this.handle, 0) === 1;
    } catch {
      return false;
    }
  }

  /** Whether a response is waiting (non-blocking). */
  hasResponses(): Result<boolean> {
    return attempt(() => this.native.ops.pendingResponseHasResponse(this.handle, 0) === 1);
  }

  /**
   * The next response, or `null` when none is waiting (non-blocking). Release it when done:
   * at most `maxBorrowedResponsesPerPendingResponse` can be held (`ExceedsMaxBorrows`).
   */
  receive(): Result<Response<Res, ResH> | null> {
    return attempt(() =>
      this.native.ops.pendingResponseReceive(this.handle, 0, 0)
        ? new Response(this, this.native, this.responsePayloadType, this.responseUserHeaderType)
        : null,
    );
  }

  /**
   * The response stream as it arrives, without blocking the event loop or spinning: each
   * response is released when the loop moves on; the loop ends when every server ended its
   * stream (`isConnected` false and nothing queued), when `signal` aborts, or on close. Wakes on
   * the event service of the same name (servers built with `notifyOnSend()` notify it) or after
   * `pollInterval` (default 10 ms), so servers that never notify are seen too.
   */
  responses(options?: StreamOptions): AsyncGenerator<Response<Res, ResH>, void, undefined> {
    return wokenBy(
      this.#client.companion,
      () => {
        if (this.isClosed) return null;
        const response = this.receive().unwrap();
        if (response !== null) return response;
        if (this.isConnected) return undefined;
        // The server may have sent its last responses and ended the stream between the receive
        // above and the connection check: they are queued still, so look once more before ending.
        return this.receive().unwrap() ?? null;
      },
      options,
      (response) => response.release(),
    );
  }

  /** Asks the servers to send their last response and end the stream (see `ActiveRequest.hasDisconnectHint`). */
  setDisconnectHint(): Result<void> {
    return attempt(() => void this.native.ops.pendingResponseSetDisconnectHint(this.handle, 0));
  }

}

/**
 * A received response: payload and user header are read-only zero-copy views into the
 * server's shared memory. `release()` returns it; afterwards every view throws `SampleReleased`.
 */
export class Response<Res extends PayloadType, ResH extends Header> extends SampleBase<Res, ResH> {
  /** @internal Created by `PendingResponse.receive()`. */
  constructor(parent: Resource, native: Native, payloadType: Res, headerType: ResH) {
    super(parent, native, payloadType, headerType);
  }

  protected get label(): string {
    return "Response";
  }

  protected get readonly(): boolean {
    return true;
  }

  /** A copy of the payload's bytes (the shared memory itself is read-only). */
  copyPayloadBytes(): Uint8Array {
    return this.payloadCopy();
  }

  #header: ResponseHeader | undefined;

  /**
   * Who sent it: upstream's response header (server id, node id, element count), read once.
   * Throws `SampleReleased` after release.
   */
  get header(): ResponseHeader {
    if (this.isClosed) throw this.closedError();
    return (this.#header ??= this.native.control("reqres.responseHeader", this.handle));
  }

  /** The id of the server that sent it (upstream's `origin()`): `header.serverId`. */
  get origin(): string {
    return this.header.serverId;
  }
}

/** Receives requests and answers each through its {@link ActiveRequest}. */
export class Server<Req extends PayloadType, ReqH extends Header, Res extends PayloadType, ResH extends Header> extends Resource {
  /** The request payload type. */
  readonly requestPayloadType: Req;
  /** The request user header type; `undefined` without one. */
  readonly requestUserHeaderType: ReqH;
  /** The response payload type. */
  readonly responsePayloadType: Res;
  /** The response user header type; `undefined` without one. */
  readonly responseUserHeaderType: ResH;

  /** @internal The event service of the same name: wake-ups for `requests()`, notifications on responses. */
  readonly companion: Companion;
  readonly #notifyOnSend: boolean;

  /** @internal */
  constructor(service: RequestResponseService<Req, ReqH, Res, ResH>, native: Native, handle: Handle, notifyOnSend = false) {
    super(native, handle, service);
    this.requestPayloadType = service.requestPayloadType;
    this.requestUserHeaderType = service.requestUserHeaderType;
    this.responsePayloadType = service.responsePayloadType;
    this.responseUserHeaderType = service.responseUserHeaderType;
    this.companion = new Companion(service);
    this.#notifyOnSend = notifyOnSend;
  }

  protected get label(): string {
    return "Server";
  }

  #id: string | undefined;

  /**
   * This server's system-wide unique id, as upstream prints it (hexadecimal): the same in every
   * process and language that looks at it. Read once while open, then remembered.
   */
  get id(): string {
    return (this.#id ??= this.native.control("reqres.serverId", this.handle));
  }

  /** The name the port was built with (`name(…)` on its builder); "" when it has none. */
  get name(): string {
    return portName(this);
  }

  #settings: SendingPortSettings | undefined;
  /** Its settings, read once while open, then remembered (they never change). */
  #portSettings(): SendingPortSettings {
    return (this.#settings ??= this.native.control("reqres.serverSettings", this.handle));
  }
  /** Slice responses: the element count its data segment was first sized for. */
  get initialMaxSliceLen(): number {
    return this.#portSettings().initialMaxSliceLen;
  }
  /** What a send does when a client's buffer is full (the effective `backpressure`). */
  get backpressureStrategy(): BackpressureStrategy {
    return this.#portSettings().backpressureStrategy;
  }

  /** Connects to clients that appeared since (upstream's `update_connections`; `receive()` does it as well). */
  updateConnections(): Result<void> {
    return attempt(() => void this.native.ops.serverUpdateConnections(this.handle, 0));
  }

  /** @internal Wakes the clients' `responses()` after a response or a stream end, when built with `notifyOnSend()`. */
  afterSend<T>(sent: Result<T>): Result<T> {
    if (!this.#notifyOnSend || sent.isErr()) return sent;
    const notified = this.companion.notify(RequestResponseEvent.ResponseSent);
    return notified.isErr() ? err(notified.error) : sent;
  }

  protected override onClosed(): void {
    this.companion.close();
    closePortEvents(this);
  }

  /**
   * The requests as they arrive, without blocking the event loop or spinning; each stays open
   * until you close it (that ends its response stream). Ends when `signal` aborts or the server
   * closes. Wakes on the event service of the same name (clients built with `notifyOnSend()`
   * notify it) or after `pollInterval` (default 10 ms), so clients that never notify are seen too.
   */
  requests(options?: StreamOptions): AsyncGenerator<ActiveRequest<Req, ReqH, Res, ResH>, void, undefined> {
    return wokenBy(this.companion, () => (this.isClosed ? null : (this.receive().unwrap() ?? undefined)), options);
  }


  /**
   * The next request, or `null` when none is waiting (non-blocking). Requests whose client
   * already dropped the pending response are skipped, unless the service enables
   * fire-and-forget requests (the default), in which case they arrive with `isConnected` false.
   */
  receive(): Result<ActiveRequest<Req, ReqH, Res, ResH> | null> {
    return attempt(() => {
      return this.native.ops.serverReceive(this.handle, 0, 0) ? new ActiveRequest(this, this.native) : null;
    });
  }

  /** Whether requests are waiting (non-blocking). */
  hasRequests(): Result<boolean> {
    return attempt(() => this.native.ops.serverHasRequests(this.handle, 0) === 1);
  }
}

/**
 * A received request and the server's end of its response stream. `payload` and `userHeader`
 * read the request (read-only). Loan responses with `loan()`/`loanSlice(n)` or send copies with
 * `sendCopy(value)`, as many as needed; `close()` ends the stream (the client's
 * `PendingResponse.isConnected` turns false) and closes responses still loaned.
 *
 * Once the client dropped its pending response (`isConnected` false), iceoryx2 0.10 reports no
 * error for responses: `send()`/`sendCopy()` succeed and the response is discarded.
 */
export class ActiveRequest<Req extends PayloadType, ReqH extends Header, Res extends PayloadType, ResH extends Header> extends RequestHolder<Req, ReqH> {
  /** The response payload type. */
  readonly responsePayloadType: Res;
  /** The response user header type; `undefined` without one. */
  readonly responseUserHeaderType: ResH;

  readonly #server: Server<Req, ReqH, Res, ResH>;

  /** @internal Created by `Server.receive()`. */
  constructor(server: Server<Req, ReqH, Res, ResH>, native: Native) {
    super(server, native, server.requestPayloadType, server.requestUserHeaderType, "ActiveRequest");
    this.#server = server;
    this.responsePayloadType = server.responsePayloadType;
    this.responseUserHeaderType = server.responseUserHeaderType;
  }

  protected get label(): string {
    return "ActiveRequest";
  }

  protected override closedError(): Iox2Error {
    return new Iox2Error("HandleClosed", "ActiveRequest is closed");
  }

  #header: RequestHeader | undefined;

  /**
   * Who sent the request: upstream's request header (client id, node id, element count), read
   * once. Throws `HandleClosed` once the active request is closed.
   */
  get header(): RequestHeader {
    if (this.isClosed) throw this.closedError();
    return (this.#header ??= this.native.control("reqres.requestHeader", this.handle));
  }

  /** The id of the client that sent the request (upstream's `origin()`): `header.clientId`. */
  get origin(): string {
    return this.header.clientId;
  }

  /** True while the client holds the pending response; false after it dropped it, for fire-and-forget requests and after `close()`. */
  get isConnected(): boolean {
    return this.#query((native, handle) => native.ops.activeRequestIsConnected(handle, 0));
  }

  /** True when the client asked for a graceful end (`PendingResponse.setDisconnectHint()`). */
  get hasDisconnectHint(): boolean {
    return this.#query((native, handle) => native.ops.activeRequestHasDisconnectHint(handle, 0));
  }

  #query(query: (native: Native, handle: Handle) => number): boolean {
    if (this.isClosed) return false;
    try {
      return query(this.native, this.handle) === 1;
    } catch {
      return false;
    }
  }

  #loan(length: number | undefined, zeroed: boolean): Result<ResponseMut<Res, ResH>> {
    const invalid = checkLoan(this.responsePayloadType, length, "response");
    if (invalid !== undefined) return err(invalid);
    return attempt(() => {
      this.native.ops.activeRequestLoan(this.handle, length ?? 1, zeroed ? 1 : 0);
      const response = new ResponseMut(this, this.native, this.responsePayloadType, this.responseUserHeaderType, (sent) => this.#server.afterSend(sent));
      if (zeroed) response.initializeZeroed();
      return response;
    });
  }

  /** Loans a response whose payload and user header start zeroed; `ExceedsMaxLoans` beyond `maxLoanedResponsesPerRequest`. */
  loan(): Result<ResponseMut<Res, ResH>> {
    return this.#loan(undefined, true);
  }

  /** Loans a response without clearing it. */
  loanUninit(): Result<ResponseMut<Res, ResH>> {
    return this.#loan(undefined, false);
  }

  /** Loans a slice response of `length` elements, zeroed. */
  loanSlice(length: number): Result<ResponseMut<Res, ResH>> {
    return this.#loan(length, true);
  }

  /** Loans a slice response of `length` elements without clearing it. */
  loanSliceUninit(length: number): Result<ResponseMut<Res, ResH>> {
    return this.#loan(length, false);
  }

  /**
   * Copies `value` (and `userHeader`) into a new response and sends it in one native call.
   * Succeeds even when a response is lost (client gone, or its queue full: see
   * `RequestResponseServiceBuilder.maxResponseBufferSize`). Fails with `ExceedsMaxLoans` or
   * `OutOfMemory` as `loan()` does, `InvalidArgument` for a value that does not fit the response
   * type, `HandleClosed` once the stream was ended.
   */
  sendCopy(value: PayloadInit<Res>, userHeader?: HeaderInit<ResH>): Result<void> {
    return attempt(() => {
      const handle = this.handle;
      const { payload, header } = encodeCopy(this.responsePayloadType, this.responseUserHeaderType, value, userHeader);
      this.native.ops.activeRequestSendCopy(handle, payload, header);
    }).andThen(() => this.#server.afterSend(ok(undefined)));
  }

  /** Ends the response stream (waking the client's `responses()` when the server notifies). */
  override close(): void {
    const wasOpen = !this.isClosed;
    super.close();
    if (wasOpen && !this.#server.isClosed) this.#server.afterSend(ok(undefined));
  }
}

/**
 * A loaned response: writable zero-copy views like a loaned request. `send()` delivers it to
 * the client's pending response; `release()` gives it back unsent. After either, every view
 * of it throws `SampleReleased`.
 */
export class ResponseMut<Res extends PayloadType, ResH extends Header> extends SampleBase<Res, ResH> {
  readonly #afterSend: (sent: Result<void>) => Result<void>;

  /** @internal Created by `ActiveRequest.loan*()`; `afterSend` notifies the client when the server does. */
  constructor(
    parent: Resource,
    native: Native,
    payloadType: Res,
    headerType: ResH,
    afterSend: (sent: Result<void>) => Result<void>,
  ) {
    super(parent, native, payloadType, headerType);
    this.#afterSend = afterSend;
  }

  protected get label(): string {
    return "ResponseMut";
  }

  protected get readonly(): boolean {
    return false;
  }

  override get payload(): PayloadView<Res> {
    return super.payload;
  }

  /** Writes the whole payload (checked against the type). */
  override set payload(value: PayloadInit<Res>) {
    this.writePayload(value);
  }

  override get userHeader(): HeaderView<ResH> {
    return super.userHeader;
  }

  /** Writes the whole user header (checked against the type). */
  override set userHeader(value: HeaderInit<ResH>) {
    this.writeUserHeader(value);
  }

  /** The payload's raw bytes: a writable zero-copy view (detached after send/release). */
  get payloadBytes(): Uint8Array {
    return this.rawPayload();
  }

  /**
   * Sends the response; it is consumed either way. A response to a disconnected client is
   * discarded without error. When the pending response's queue is full, safe overflow discards
   * the oldest queued response and `"discardData"` this one, both without error, while
   * `"retryUntilDelivered"` blocks until there is room: see
   * `RequestResponseServiceBuilder.maxResponseBufferSize`.
   */
  send(): Result<void> {
    return this.#afterSend(this.consume(sendResponse).map(() => undefined));
  }
}
