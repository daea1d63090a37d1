import type { Harness } from "./harness.ts";
import { Isolation } from "./isolation.ts";

/** Request-response: round trips, response streams, slices, headers, QoS, disconnects, bad input, closing. */
export default function requestResponse(h: Harness): void {
  const { describe, it, expect, afterAll } = h;
  const { Iox2Error, array, backend, openHandleCount, f64, i32, slice, struct, u8, u16, u32, u64 } = h.api;
  const isolation = new Isolation(h, "request-response");
  const node = isolation.node();
  const serviceName = (label: string) => isolation.serviceName(label);

  afterAll(() => {
    node.close();
    expect(isolation.cleanUp()).toEqual([]);
  });

  const Query = struct("Query", { id: u32, scale: f64, tag: array(u8, 4) });
  const Answer = struct("Answer", { id: u32, value: f64, last: u8 });
  const RequestHeader = struct("RequestHeader", { version: i32, sequence: u64 });
  const ResponseHeader = struct("ResponseHeader", { status: u16 });

  function expectKind(action: () => unknown, kind: string): void {
    try {
      action();
    } catch (error) {
      expect(error).toBeInstanceOf(Iox2Error);
      expect((error as InstanceType<typeof Iox2Error>).kind).toBe(kind);
      return;
    }
    throw new Error(`expected an Iox2Error of kind ${kind}`);
  }

  const u64Service = (label: string) => node.serviceBuilder(serviceName(label)).requestResponse(u64, u64);

  describe("request-response", () => {
    it("sends a struct request and answers it with a struct response", () => {
      using service = node.serviceBuilder(serviceName("struct")).requestResponse(Query, Answer).create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      using server = service.serverBuilder().create().unwrap();

      const request = client.loan().unwrap();
      expect(request.payload.scale).toBe(0); // loan() starts zeroed
      request.payload.id = 7;
      request.payload.scale = 2.5;
      request.payload.tag.write([1, 2, 3, 4]);
      const pending = request.send().unwrap();
      expect(pending.numberOfServerConnections).toBe(1);
      expect(pending.isConnected).toBe(true);
      expect(pending.payload.$toPlain()).toEqual({ id: 7, scale: 2.5, tag: [1, 2, 3, 4] }); // the sent request stays readable

      expect(server.hasRequests().unwrap()).toBe(true);
      const active = server.receive().unwrap()!;
      expect(server.receive().unwrap()).toBeNull();
      expect(active.payload.$toPlain()).toEqual({ id: 7, scale: 2.5, tag: [1, 2, 3, 4] });
      expect(active.isConnected).toBe(true);
      const response = active.loan().unwrap();
      response.payload.id = active.payload.id;
      response.payload.value = active.payload.scale * 10;
      response.payload.last = 1;
      response.send().unwrap();

      expect(pending.hasResponses().unwrap()).toBe(true);
      const received = pending.receive().unwrap()!;
      expect(received.payload.$toPlain()).toEqual({ id: 7, value: 25, last: 1 });
      received.release();
      expect(pending.receive().unwrap()).toBeNull();
      expect(pending.hasResponses().unwrap()).toBe(false);
      active.close();
      pending.close();
    });

    it("names who sent each request and response, and gives every port a unique id", () => {
      using service = node.serviceBuilder(serviceName("origin")).requestResponse(u64, slice(u8)).create().unwrap();
      using client = service.clientBuilder().name("asker").create().unwrap();
      using server = service.serverBuilder().initialMaxSliceLen(8).name("answerer").create().unwrap();
      expect([client.name, server.name]).toEqual(["asker", "answerer"]);
      expect(client.updateConnections().isOk() && server.updateConnections().isOk()).toBe(true);
      expect(client.id).toMatch(/^[0-9a-f]{1,32}$/);
      expect(server.id).toMatch(/^[0-9a-f]{1,32}$/);
      expect(client.id).not.toBe(server.id);
      const ports = service.ports().unwrap();
      expect(ports.clients).toEqual([
        { id: client.id, name: "asker", nodeId: node.id, numberOfRequests: ports.clients[0]!.numberOfRequests, responseBufferSize: 2, maxSliceLen: 1 },
      ]);
      expect(ports.clients[0]!.numberOfRequests).toBeGreaterThan(0);
      expect(ports.servers).toEqual([
        { id: server.id, name: "answerer", nodeId: node.id, requestBufferSize: ports.servers[0]!.requestBufferSize, numberOfResponses: ports.servers[0]!.numberOfResponses, maxSliceLen: 8 },
      ]);
      expect(ports.servers[0]!.requestBufferSize).toBeGreaterThan(0);
      using pending = client.sendCopy(5n).unwrap();
      using active = server.receive().unwrap()!;
      expect(active.header).toEqual({ clientId: client.id, nodeId: node.id, numberOfElements: 1 });
      expect(active.origin).toBe(client.id);
      active.sendCopy([1, 2, 3]).unwrap();
      const response = pending.receive().unwrap()!;
      expect(response.header).toEqual({ serverId: server.id, nodeId: node.id, numberOfElements: 3 });
      expect(response.origin).toBe(server.id);
      response.release();
      expectKind(() => response.header, "SampleReleased");
      active.close();
      expectKind(() => active.header, "HandleClosed");
    });

    it("streams several responses to one request, then the client sees the stream end", () => {
      using service = u64Service("stream").maxResponseBufferSize(8).create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      using pending = client.sendCopy(3n).unwrap();
      const active = server.receive().unwrap()!;
      const count = Number(active.payload);
      for (let i = 1; i <= count; i++) {
        const response = active.loan().unwrap();
        response.payload = BigInt(i * 100);
        response.send().unwrap();
      }
      active.sendCopy(400n).unwrap();
      expect(pending.isConnected).toBe(true);
      active.close(); // ends the stream
      expect(active.isClosed).toBe(true);
      expect(pending.isConnected).toBe(false);
      const seen: bigint[] = [];
      for (let response = pending.receive().unwrap(); response !== null; response = pending.receive().unwrap()) {
        seen.push(response.payload);
        response.release();
      }
      expect(seen).toEqual([100n, 200n, 300n, 400n]); // queued responses survive the end of the stream
    });

    it("overwrites the oldest responses of a full buffer with safe overflow (the default)", () => {
      using service = u64Service("overflow").maxResponseBufferSize(2).create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      using pending = client.sendCopy(0n).unwrap();
      using active = server.receive().unwrap()!;
      for (let i = 1n; i <= 4n; i++) active.sendCopy(i).unwrap();
      const first = pending.receive().unwrap()!;
      const second = pending.receive().unwrap()!;
      expect([first.payload, second.payload]).toEqual([3n, 4n]);
      first.release();
      second.release();
      expect(service.staticConfig().unwrap().qos.enableSafeOverflowForResponses).toBe(true);
    });

    it("carries slices both ways, up to each port's initial maximum", () => {
      using service = node.serviceBuilder(serviceName("slice")).requestResponse(slice(u16), slice(u8)).create().unwrap();
      using client = service.clientBuilder().initialMaxSliceLen(16).create().unwrap();
      using server = service.serverBuilder().initialMaxSliceLen(32).create().unwrap();
      const request = client.loanSlice(5).unwrap();
      expect(request.length).toBe(5);
      request.payload.write([10, 20, 30, 40, 50]);
      using pending = request.send().unwrap();
      expect(pending.length).toBe(5);
      expect(pending.payload.toArray()).toEqual([10, 20, 30, 40, 50]);
      using copied = client.sendCopy([7, 8]).unwrap();

      const active = server.receive().unwrap()!;
      expect(active.length).toBe(5);
      expect(active.payload.toArray()).toEqual([10, 20, 30, 40, 50]);
      const response = active.loanSlice(32).unwrap();
      response.payloadBytes.fill(0xab);
      response.send().unwrap();
      active.sendCopy([1, 2, 3]).unwrap();
      expect(active.loanSlice(33).unwrapErr().kind).toBe("OutOfMemory");
      const other = server.receive().unwrap()!;
      expect(other.payload.toArray()).toEqual([7, 8]);
      other.close();
      active.close();

      const big = pending.receive().unwrap()!;
      expect(big.length).toBe(32);
      expect(big.copyPayloadBytes().every((byte) => byte === 0xab)).toBe(true);
      big.release();
      const small = pending.receive().unwrap()!;
      expect(small.payload.toArray()).toEqual([1, 2, 3]);
      small.release();
      expect(client.loanSlice(17).unwrapErr().kind).toBe("OutOfMemory");
      expect(client.sendCopy(Array.from({ length: 17 }, () => 1)).unwrapErr().kind).toBe("OutOfMemory");
    });

    it("grows the request segment with a dynamic allocation strategy", () => {
      using service = node.serviceBuilder(serviceName("grow")).requestResponse(slice(u8), u8).create().unwrap();
      using client = service.clientBuilder().initialMaxSliceLen(4).allocationStrategy("powerOfTwo").create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      const request = client.loanSlice(3000).unwrap();
      request.payloadBytes.fill(0x5a);
      using _pending = request.send().unwrap();
      using active = server.receive().unwrap()!;
      expect(active.length).toBe(3000);
      expect(active.payload.get(2999)).toBe(0x5a);
    });

    it("writes and reads user headers of requests and responses", () => {
      using service = node
        .serviceBuilder(serviceName("headers"))
        .requestResponse(u32, u32)
        .requestUserHeader(RequestHeader)
        .responseUserHeader(ResponseHeader)
        .maxResponseBufferSize(4)
        .create()
        .unwrap();
      using client = service.clientBuilder().create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      const request = client.loan().unwrap();
      request.userHeader.version = 2;
      request.userHeader.sequence = 99n;
      request.payload = 5;
      using pending = request.send().unwrap();
      expect(pending.userHeader.$toPlain()).toEqual({ version: 2, sequence: 99n });
      using copied = client.sendCopy(6, { version: 3, sequence: 100n }).unwrap();

      using active = server.receive().unwrap()!;
      expect([active.userHeader.version, active.userHeader.sequence, active.payload]).toEqual([2, 99n, 5]);
      const response = active.loan().unwrap();
      response.userHeader = { status: 200 };
      response.payload = 50;
      response.send().unwrap();
      active.sendCopy(51, { status: 201 }).unwrap();
      using second = server.receive().unwrap()!;
      expect(second.userHeader.$toPlain()).toEqual({ version: 3, sequence: 100n });

      const first = pending.receive().unwrap()!;
      const next = pending.receive().unwrap()!;
      expect([first.userHeader.status, first.payload, next.userHeader.status, next.payload]).toEqual([200, 50, 201, 51]);
      first.release();
      next.release();
      expect(copied.receive().unwrap()).toBeNull(); // responses go to their own request only
      const config = service.staticConfig().unwrap();
      expect(config.requestUserHeader).toEqual({ variant: "fixedSize", typeName: "RequestHeader", size: 16, alignment: 8 });
      expect(config.responseUserHeader).toEqual({ variant: "fixedSize", typeName: "ResponseHeader", size: 2, alignment: 2 });
    });

    it("answers each client's requests separately when several clients share a server", () => {
      const name = serviceName("clients");
      using a = node.serviceBuilder(name).requestResponse(u64, u64).create().unwrap();
      using b = node.serviceBuilder(name).requestResponse(u64, u64).open().unwrap();
      using first = a.clientBuilder().create().unwrap();
      using second = b.clientBuilder().create().unwrap();
      using server = a.serverBuilder().create().unwrap();
      using pendingA = first.sendCopy(1n).unwrap();
      using pendingB = second.sendCopy(2n).unwrap();
      for (let active = server.receive().unwrap(); active !== null; active = server.receive().unwrap()) {
        active.sendCopy(active.payload * 10n).unwrap();
        active.close();
      }
      const answerA = pendingA.receive().unwrap()!;
      const answerB = pendingB.receive().unwrap()!;
      expect([answerA.payload, answerB.payload]).toEqual([10n, 20n]);
      answerA.release();
      answerB.release();
    });
  });

  describe("connections and disconnects", () => {
    it("sends a request without any server to nobody", () => {
      using service = u64Service("no-server").create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      using pending = client.sendCopy(1n).unwrap();
      expect(pending.numberOfServerConnections).toBe(0);
      expect(pending.isConnected).toBe(false);
      expect(pending.receive().unwrap()).toBeNull();
      expect(pending.payload).toBe(1n);
    });

    it("lets the server see a dropped pending response, and discards responses sent after it", () => {
      using service = u64Service("dropped").enableFireAndForgetRequests(false).create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      const pending = client.sendCopy(1n).unwrap();
      using active = server.receive().unwrap()!;
      expect(active.isConnected).toBe(true);
      pending.close();
      expect(pending.isConnected).toBe(false);
      expect(active.isConnected).toBe(false);
      // iceoryx2 0.10 reports nothing for a response nobody listens to: it is discarded.
      active.sendCopy(2n).unwrap();
      const response = active.loan().unwrap();
      response.payload = 3n;
      response.send().unwrap();
      expectKind(() => pending.payload, "HandleClosed");
      expect(pending.receive().unwrapErr().kind).toBe("HandleClosed");
    });

    it("skips requests whose pending response was dropped unless fire-and-forget is enabled", () => {
      using strict = u64Service("strict").enableFireAndForgetRequests(false).create().unwrap();
      using strictClient = strict.clientBuilder().create().unwrap();
      using strictServer = strict.serverBuilder().create().unwrap();
      strictClient.sendCopy(1n).unwrap().close();
      expect(strictServer.receive().unwrap()).toBeNull();

      using relaxed = u64Service("fire-and-forget").enableFireAndForgetRequests(true).create().unwrap();
      expect(relaxed.staticConfig().unwrap().qos.enableFireAndForgetRequests).toBe(true);
      using client = relaxed.clientBuilder().create().unwrap();
      using server = relaxed.serverBuilder().create().unwrap();
      client.sendCopy(2n).unwrap().close();
      using active = server.receive().unwrap()!;
      expect(active.payload).toBe(2n);
      expect(active.isConnected).toBe(false);
      active.sendCopy(3n).unwrap(); // discarded
    });

    it("passes the client's disconnect hint to the server", () => {
      using service = u64Service("hint").create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      using pending = client.sendCopy(1n).unwrap();
      using active = server.receive().unwrap()!;
      expect(active.hasDisconnectHint).toBe(false);
      pending.setDisconnectHint().unwrap();
      expect(active.hasDisconnectHint).toBe(true);
      expect(active.isConnected).toBe(true);
    });

    it("tells the server when a pending response is garbage-collected without close", async () => {
      using service = u64Service("gc").create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      (() => {
        client.sendCopy(1n).unwrap();
      })();
      using active = server.receive().unwrap()!;
      for (let turn = 0; turn < 50 && active.isConnected; turn++) {
        h.gc();
        await h.nextTurn();
      }
      expect(active.isConnected).toBe(false);
    });
  });

  describe("quality of service", () => {
    it("limits active requests per client and frees a slot when a pending response closes", () => {
      using service = u64Service("active").maxActiveRequestsPerClient(2).create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      const first = client.sendCopy(1n).unwrap();
      using _second = client.sendCopy(2n).unwrap();
      const refused = client.sendCopy(3n).unwrapErr();
      expect(refused.kind).toBe("LimitReached");
      expect(refused.message).toContain("ExceedsMaxActiveRequests");
      const loaned = client.loan().unwrap();
      expect(loaned.send().unwrapErr().kind).toBe("LimitReached");
      expect(loaned.isClosed).toBe(true); // consumed either way
      first.close();
      using _third = client.sendCopy(3n).unwrap();
      expect(service.clientBuilder().maxActiveRequests(3).create().unwrapErr().kind).toBe("IncompatibleQos");
      using limited = service.clientBuilder().maxActiveRequests(1).create().unwrap();
      using _only = limited.sendCopy(4n).unwrap();
      expect(limited.sendCopy(5n).unwrapErr().kind).toBe("LimitReached");
    });

    it("limits loaned requests, borrowed responses and loaned responses", () => {
      using service = u64Service("loans").maxLoanedRequests(1).maxBorrowedResponsesPerPendingResponse(1).create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      using server = service.serverBuilder().maxLoanedResponsesPerRequest(1).create().unwrap();
      const loaned = client.loan().unwrap();
      expect(client.loan().unwrapErr().kind).toBe("ExceedsMaxLoans");
      using pending = loaned.send().unwrap();
      using active = server.receive().unwrap()!;
      const response = active.loan().unwrap();
      expect(active.loan().unwrapErr().kind).toBe("ExceedsMaxLoans");
      response.send().unwrap();
      active.sendCopy(2n).unwrap();
      const held = pending.receive().unwrap()!;
      expect(pending.receive().unwrapErr().kind).toBe("ExceedsMaxBorrows");
      held.release();
      const next = pending.receive().unwrap()!;
      expect(next.payload).toBe(2n);
      next.release();
    });

    it("reports its ports' settings as upstream's getters do", () => {
      using service = node.serviceBuilder(serviceName("getters")).requestResponse(slice(u8), u64).maxActiveRequestsPerClient(3).create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      using tuned = service.clientBuilder().maxActiveRequests(2).initialMaxSliceLen(16).backpressure("discardData").create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      expect([client.maxActiveRequests, client.initialMaxSliceLen, client.backpressureStrategy]).toEqual([3, 1, "retryUntilDelivered"]);
      expect([tuned.maxActiveRequests, tuned.initialMaxSliceLen, tuned.backpressureStrategy]).toEqual([2, 16, "discardData"]);
      expect([server.initialMaxSliceLen, server.backpressureStrategy]).toEqual([1, "retryUntilDelivered"]);
    });

    it("preallocates fewer requests and responses when asked, and names the override when a segment would not fit", () => {
      using service = u64Service("preallocation").create().unwrap();
      using client = service.clientBuilder().requestPreallocation(1).create().unwrap();
      using server = service.serverBuilder().responsePreallocation(1).create().unwrap();
      const first = client.loan().unwrap();
      expect(client.loan().unwrapErr().kind).toBe("OutOfMemory"); // below maxLoanedRequests, but the segment holds one
      using pending = first.send().unwrap();
      using active = server.receive().unwrap()!;
      const response = active.loan().unwrap();
      expect(active.loan().unwrapErr().kind).toBe("OutOfMemory");
      response.release();
      expect(service.clientBuilder().requestPreallocation(0).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(service.serverBuilder().responsePreallocation(1.5).create().unwrapErr().kind).toBe("InvalidArgument");

      using crowded = node.serviceBuilder(serviceName("preallocation-crowded")).requestResponse(slice(u8), u64).maxServers(4096).create().unwrap();
      const refused = crowded.clientBuilder().initialMaxSliceLen(1 << 26).create();
      expect(refused.isErr() && refused.error.kind).toBe("InvalidArgument");
      expect(refused.isErr() && refused.error.message).toMatch(/requestPreallocation\(\d+\) or less/);
      using saving = crowded.clientBuilder().initialMaxSliceLen(1 << 26).requestPreallocation(4).create().unwrap();
      expect(saving.loanSlice(1 << 26).unwrap().release()).toBeUndefined();
    });

    it("reports a client's full response buffer to the server's onBackpressure", async () => {
      using service = u64Service("backpressure-events").maxResponseBufferSize(1).enableSafeOverflowForResponses(false).create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      const events: { outcome: string; receiverPortId: string; senderPortId: string }[] = [];
      using server = service.serverBuilder().backpressure("discardData").onBackpressure((event) => void events.push(event)).create().unwrap();
      using pending = client.sendCopy(1n).unwrap();
      using active = server.receive().unwrap()!;
      active.sendCopy(10n).unwrap();
      active.sendCopy(11n).unwrap(); // the client's buffer holds one: discarded
      const deadline = Date.now() + 5000;
      while (events.length === 0 && Date.now() < deadline) await h.nextTurn();
      expect(events.map((event) => event.outcome)).toEqual(["discarded"]);
      expect([events[0]!.senderPortId, events[0]!.receiverPortId]).toEqual([server.id, client.id]);
      const kept = pending.receive().unwrap()!;
      expect(kept.payload).toBe(10n);
      kept.release();
    });

    it("limits servers and clients and requires QoS as minimums when opening", () => {
      const name = serviceName("ports");
      using service = node
        .serviceBuilder(name)
        .requestResponse(u8, u8)
        .maxServers(1)
        .maxClients(1)
        .maxNodes(3)
        .maxActiveRequestsPerClient(3)
        .create()
        .unwrap();
      using _client = service.clientBuilder().create().unwrap();
      using _server = service.serverBuilder().create().unwrap();
      expect(service.clientBuilder().create().unwrapErr().kind).toBe("LimitReached");
      expect(service.serverBuilder().create().unwrapErr().kind).toBe("LimitReached");
      const config = service.staticConfig().unwrap();
      expect(config.name).toBe(name);
      expect(config.requestPayload).toEqual({ variant: "fixedSize", typeName: "u8", size: 1, alignment: 1 });
      expect(config.responseUserHeader).toEqual({ variant: "fixedSize", typeName: "()", size: 0, alignment: 1 });
      expect(config.qos).toMatchObject({ maxServers: 1, maxClients: 1, maxNodes: 3, maxActiveRequestsPerClient: 3 });
      const open = () => node.serviceBuilder(name).requestResponse(u8, u8);
      using _opened = open().maxServers(1).maxActiveRequestsPerClient(2).open().unwrap();
      expect(open().maxServers(2).open().unwrapErr().kind).toBe("IncompatibleQos");
      expect(open().maxResponseBufferSize(1000).open().unwrapErr().kind).toBe("IncompatibleQos");
      expect(open().maxResponseBufferSize(1000).open().unwrapErr().message).toMatch(
        /: maxResponseBufferSize: the service has \d+, this opener asks for 1000; ask for at most what the service has, or leave the setting unset \(iceoryx2: DoesNotSupportRequestedResponseBufferSize\)$/,
      );
      expect(open().enableFireAndForgetRequests(!config.qos.enableFireAndForgetRequests).open().unwrapErr().kind).toBe("IncompatibleQos");
      expect(open().create().unwrapErr().kind).toBe("ServiceAlreadyExists");
      expect(node.serviceBuilder(serviceName("missing")).requestResponse(u8, u8).open().unwrapErr().kind).toBe("ServiceNotFound");
    });
  });

  describe("bad input gives a typed error, never a crash", () => {
    it("names both sides of every type that differs when opening", () => {
      const name = serviceName("mismatch");
      using _service = node.serviceBuilder(name).requestResponse(Query, Answer).create().unwrap();
      const requestSide = node.serviceBuilder(name).requestResponse(u64, Answer).open().unwrapErr();
      expect(requestSide.kind).toBe("IncompatibleTypes");
      expect(requestSide.message).toContain("request payload: the service has 'Query' (fixed size, size 24, alignment 8), requested 'u64' (fixed size, size 8, alignment 8)");
      expect(requestSide.message).not.toContain("response payload");
      const responseSide = node.serviceBuilder(name).requestResponse(Query, slice(Answer)).open().unwrapErr();
      expect(responseSide.message).toContain("response payload: the service has 'Answer' (fixed size, size 24, alignment 8), requested 'Answer' (slice, size 24, alignment 8)");
      const header = node.serviceBuilder(name).requestResponse(Query, Answer).responseUserHeader(ResponseHeader).open().unwrapErr();
      expect(header.kind).toBe("IncompatibleTypes");
      expect(header.message).toContain("response user header: the service has '()'");
      expect(header.message).toContain("requested 'ResponseHeader'");
      // the same message shape as publish-subscribe's
      expect(header.message).toContain(`service '${name}' has incompatible types`);
    });

    it("rejects invalid names, QoS values and port options", () => {
      expect(node.serviceBuilder("").requestResponse(u8, u8).create().unwrapErr().kind).toBe("InvalidName");
      expect(node.serviceBuilder(7 as unknown as string).requestResponse(u8, u8).create().unwrapErr().kind).toBe("InvalidName");
      const builder = () => node.serviceBuilder(serviceName("qos")).requestResponse(u8, u8);
      expect(builder().maxServers(0).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(builder().maxClients(-1).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(builder().maxResponseBufferSize(1.5).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(builder().maxActiveRequestsPerClient(NaN).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(builder().maxLoanedRequests(2 ** 40).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(builder().maxBorrowedResponsesPerPendingResponse("2" as unknown as number).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(builder().enableFireAndForgetRequests(1 as unknown as boolean).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(builder().enableSafeOverflowForRequests("yes" as unknown as boolean).create().unwrapErr().kind).toBe("InvalidArgument");
      using service = builder().create().unwrap();
      expect(service.clientBuilder().maxActiveRequests(0).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(service.clientBuilder().initialMaxSliceLen(Infinity).create().unwrapErr().kind).toBe("InvalidArgument");
      expect(service.clientBuilder().allocationStrategy("huge" as "static").create().unwrapErr().kind).toBe("InvalidArgument");
      expect(service.serverBuilder().backpressure("block" as "discardData").create().unwrapErr().kind).toBe("InvalidArgument");
      expect(service.serverBuilder().maxLoanedResponsesPerRequest(-3).create().unwrapErr().kind).toBe("InvalidArgument");
    });

    it("refuses loans and values that do not fit the types", () => {
      using service = node.serviceBuilder(serviceName("values")).requestResponse(Query, slice(u8)).create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      using server = service.serverBuilder().initialMaxSliceLen(4).create().unwrap();
      expect(client.loanSlice(2).unwrapErr().kind).toBe("InvalidArgument"); // not a slice
      expect(client.sendCopy({ id: 1 } as never).unwrapErr().kind).toBe("InvalidArgument");
      expect(client.sendCopy({ id: -1, scale: 0, tag: [0, 0, 0, 0] }).unwrapErr().kind).toBe("InvalidArgument");
      expect(client.sendCopy({ id: 1, scale: 0, tag: [0, 0, 0, 0] }, { version: 1 } as never).unwrapErr().kind).toBe("InvalidArgument");
      const request = client.loan().unwrap();
      expectKind(() => (request.payload.id = 2 ** 32), "InvalidArgument");
      expectKind(() => (request.payload.tag = [1, 2] as never), "InvalidArgument");
      expectKind(() => (request.userHeader = 1 as never), "InvalidArgument"); // no request user header
      using pending = request.send().unwrap();
      expect(request.send().unwrapErr().kind).toBe("SampleReleased");
      using active = server.receive().unwrap()!;
      expect(active.loan().unwrapErr().kind).toBe("InvalidArgument"); // a slice needs loanSlice
      expect(active.loanSlice(0).unwrapErr().kind).toBe("InvalidArgument");
      expect(active.loanSlice(1.5).unwrapErr().kind).toBe("InvalidArgument");
      expect(active.sendCopy([256]).unwrapErr().kind).toBe("InvalidArgument");
      expect(active.sendCopy([1, 2, 3, 4, 5]).unwrapErr().kind).toBe("OutOfMemory");
      expect(pending.receive().unwrap()).toBeNull();
    });

    it("keeps received requests and responses read-only", () => {
      using service = node.serviceBuilder(serviceName("readonly")).requestResponse(Query, Answer).create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      using pending = client.sendCopy({ id: 1, scale: 2, tag: [1, 2, 3, 4] }).unwrap();
      using active = server.receive().unwrap()!;
      expectKind(() => (active.payload.id = 5), "InvalidArgument");
      expectKind(() => active.payload.tag.set(0, 9), "InvalidArgument");
      expectKind(() => (pending.payload.id = 5), "InvalidArgument");
      active.sendCopy({ id: 1, value: 3, last: 1 }).unwrap();
      const response = pending.receive().unwrap()!;
      expectKind(() => (response.payload.value = 5), "InvalidArgument");
      expect("payloadBytes" in response).toBe(false);
      expect(response.copyPayloadBytes().length).toBe(24);
      response.release();
    });
  });

  describe("views and closing", () => {
    it("detaches views on send, release and close", () => {
      using service = node.serviceBuilder(serviceName("detach")).requestResponse(Query, Answer).create().unwrap();
      using client = service.clientBuilder().create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      const request = client.loan().unwrap();
      const requestView = request.payload;
      const requestBytes = request.payloadBytes;
      const pending = request.send().unwrap();
      expect(requestBytes.length).toBe(0);
      expectKind(() => requestView.id, "SampleReleased");
      expectKind(() => request.payload, "SampleReleased");
      expect(pending.payload.id).toBe(0); // a fresh read-only view of the sent request

      const active = server.receive().unwrap()!;
      const activeView = active.payload;
      const response = active.loan().unwrap();
      const responseView = response.payload;
      const responseBytes = response.payloadBytes;
      response.send().unwrap();
      expect(responseBytes.length).toBe(0);
      expectKind(() => (responseView.value = 1), "SampleReleased");
      expect(response.send().unwrapErr().kind).toBe("SampleReleased");
      const unsent = active.loan().unwrap();
      const unsentView = unsent.payload;
      unsent.release();
      expectKind(() => unsentView.id, "SampleReleased");

      const received = pending.receive().unwrap()!;
      const receivedView = received.payload;
      received.release();
      expectKind(() => receivedView.value, "SampleReleased");
      expectKind(() => received.copyPayloadBytes(), "SampleReleased");

      const pendingView = pending.payload;
      pending.close();
      expectKind(() => pendingView.scale, "SampleReleased");
      active.close();
      expectKind(() => activeView.tag.get(0), "SampleReleased");
      expect(active.loan().unwrapErr().kind).toBe("HandleClosed");
      expect(active.sendCopy({ id: 1, value: 1, last: 1 }).unwrapErr().kind).toBe("HandleClosed");
      expect(active.isConnected).toBe(false);
    });

    it("closes clients, servers and every message with the service, newest first", () => {
      const baseline = openHandleCount(backend);
      const local = isolation.node("closing");
      const service = local.serviceBuilder(serviceName("cascade")).requestResponse(u64, u64).create().unwrap();
      const client = service.clientBuilder().create().unwrap();
      const server = service.serverBuilder().create().unwrap();
      const pending = client.sendCopy(1n).unwrap();
      const loaned = client.loan().unwrap();
      const active = server.receive().unwrap()!;
      const response = active.loan().unwrap();
      active.sendCopy(2n).unwrap();
      const received = pending.receive().unwrap()!;
      const views = [loaned.payloadBytes, response.payloadBytes];
      expect(openHandleCount(backend)).toBe(baseline + 9);
      service.close();
      expect(openHandleCount(backend)).toBe(baseline + 1);
      for (const resource of [client, server, pending, loaned, active, response, received]) expect(resource.isClosed).toBe(true);
      for (const view of views) expect(view.length).toBe(0);
      expect(client.sendCopy(1n).unwrapErr().kind).toBe("HandleClosed");
      expect(server.receive().unwrapErr().kind).toBe("HandleClosed");
      expect(pending.receive().unwrapErr().kind).toBe("HandleClosed");
      expect(loaned.send().unwrapErr().kind).toBe("SampleReleased");
      expectKind(() => received.payload, "SampleReleased");
      expect(service.clientBuilder().create().unwrapErr().kind).toBe("HandleClosed");
      expect(service.staticConfig().unwrapErr().kind).toBe("HandleClosed");
      local.close();
      expect(openHandleCount(backend)).toBe(baseline);
    });

    it("closes a client's pending responses and their responses with the client", () => {
      using service = u64Service("client-close").create().unwrap();
      using server = service.serverBuilder().create().unwrap();
      const client = service.clientBuilder().create().unwrap();
      const pending = client.sendCopy(1n).unwrap();
      using active = server.receive().unwrap()!;
      active.sendCopy(2n).unwrap();
      const received = pending.receive().unwrap()!;
      client.close();
      expect(pending.isClosed).toBe(true);
      expect(received.isClosed).toBe(true);
      expect(active.isConnected).toBe(false);
    });
  });
}
