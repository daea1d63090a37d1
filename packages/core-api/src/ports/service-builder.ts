import type { Handle } from "../native/backend.js";
import { Iox2Error } from "../base/errors.js";
import { COUNT_LIMITS } from "../generated/contract.js";
import type { PayloadType } from "../layout/index.js";
import { checkLayouts, LAYOUT_ATTRIBUTE_PREFIX, layoutRecords, type LayoutRole } from "../layout/attribute.js";
import { nativeOf, type Resource } from "./lifecycle.js";
import type { Native } from "../native/native.js";
import type { Node } from "../node/node.js";
import { attempt, err, type Result } from "../base/result.js";
import type { ServiceIdentity } from "../generated/control.js";
import { isWellFormed } from "../base/text.js";

/** How a builder reaches its service: open an existing one, create it, or either. */
export type OpenMode = "open" | "create" | "openOrCreate";

/** A service attribute (upstream's `Attribute`): a key-value pair; a key may carry several values. */
export interface Attribute {
  /** 1 to 64 ASCII characters. */
  key: string;
  /** 1 to 256 ASCII characters. */
  value: string;
}

/**
 * @internal The attribute part of every service spec the native library takes. `defineOnCreate` is
 * defined when the native side creates the service (create, or open-or-create finding none) and
 * never required when it opens one: the struct layouts of `layout/attribute.ts`.
 */
export interface AttributesSpec {
  /** Attributes the service is created with (also required when opening, for open-or-create). */
  define: Attribute[];
  /** Key-value pairs an existing service must have. */
  require: Attribute[];
  /** Keys an existing service must have, with any value. */
  requireKeys: string[];
  /** Defined only when the native side creates the service (struct layout records). */
  defineOnCreate: Attribute[];
}

/** The builder's own attributes; `defineOnCreate` is filled in when building. */
type UserAttributes = Omit<AttributesSpec, "defineOnCreate">;

/**
 * @internal What a service builder's `S` offers: closing, and its attributes as the service
 * stores them (every service class of this package fits).
 */
export type ServiceWithAttributes = Resource & { staticConfig(): Result<{ attributes: Attribute[] }> };

/** The longest slice a loan may ask for here; the native core bounds the bytes it makes. */
export const MAX_COUNT = 0xffff_ffff;

export { COUNT_LIMITS };

/**
 * Checks count options: integers in `min(name)..COUNT_LIMITS[name]`; booleans and strings are
 * skipped. A count without a limit in the table is refused: the table must name every option.
 */
export function checkCounts(options: object, min: (name: string) => number): Iox2Error | undefined {
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || value === null || typeof value === "boolean" || typeof value === "string") continue;
    const max = Object.hasOwn(COUNT_LIMITS, name) ? COUNT_LIMITS[name] : undefined;
    if (max === undefined) return new Iox2Error("InvalidArgument", `${name} is not a count option`);
    if (typeof value !== "number" || !Number.isInteger(value) || value < min(name) || value > max) {
      return new Iox2Error("InvalidArgument", `${name} must be an integer in ${min(name)}..${max}, got ${String(value)}`);
    }
  }
  return undefined;
}

/** The most a payload alignment may be: one page (iceoryx2 places chunks within page-aligned segments). */
const MAX_PAYLOAD_ALIGNMENT = 4096;

/** A payload alignment option: unset, or a power of two up to a page. */
export function checkAlignment(name: string, value: unknown): Iox2Error | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_PAYLOAD_ALIGNMENT && (value & (value - 1)) === 0) return undefined;
  return new Iox2Error("InvalidArgument", `${name} must be a power of two from 1 to ${MAX_PAYLOAD_ALIGNMENT}, got ${String(value)}`);
}

/** A flatbuffer schema path: a non-empty string, and only for a flatbuffer payload. */
export function checkSchemaPath(name: string, value: unknown, payload: PayloadType): Iox2Error | undefined {
  if (value === undefined) return undefined;
  if (payload.kind !== "flatbuffer") {
    return new Iox2Error("InvalidArgument", `${name} is for flatbuffer payloads; this payload is '${payload.typeName}'`);
  }
  return checkText(name, value);
}

function checkText(what: string, value: unknown): Iox2Error | undefined {
  return typeof value === "string" && value.length > 0
    ? undefined
    : new Iox2Error("InvalidArgument", `${what} must be a non-empty string, got ${typeof value === "string" ? '""' : typeof value}`);
}

/**
 * What every messaging pattern's service builder shares: the name, attributes, and
 * `open`/`create`/`openOrCreate`. Attributes are upstream's: `defineAttribute` when creating
 * (for `openOrCreate` they are also required of an existing service), `requireAttribute` and
 * `requireAttributeKey` when opening; a mismatch fails with `IncompatibleAttributes`. Keys are
 * 1 to 64 and values 1 to 256 ASCII characters (no NUL), at most 8 per service; anything else
 * fails with `InvalidArgument` (`LimitReached` for a ninth).
 *
 * Struct types are also checked field by field (`layout/attribute.ts`): creating records each
 * struct type's layout as an `iox2js.layout.<role>` attribute (these count toward the 8 and
 * cannot be defined by hand), and opening a service that carries one compares it and fails with
 * `IncompatibleTypes` naming the first differing field.
 */
export abstract class ServiceBuilderBase<S extends ServiceWithAttributes> {
  #attributes: UserAttributes = { define: [], require: [], requireKeys: [] };

  /**
   * @param node The node that opens or creates the service.
   * @param name The service name.
   */
  protected constructor(
    readonly node: Node,
    readonly name: string,
  ) {}

  /**
   * Gives the service the attribute `key` = `value` when this builder creates it (upstream's
   * `AttributeSpecifier::define`). With `openOrCreate()`, an existing service must also have it.
   * Calling it again with the same key adds another value.
   */
  defineAttribute(key: string, value: string): this {
    this.#attributes.define.push({ key, value });
    return this;
  }

  /**
   * When opening, the service must have the attribute `key` = `value`, else `IncompatibleAttributes`
   * (upstream's `AttributeVerifier::require`).
   */
  requireAttribute(key: string, value: string): this {
    this.#attributes.require.push({ key, value });
    return this;
  }

  /**
   * When opening, the service must have an attribute with this key, any value, else
   * `IncompatibleAttributes` (upstream's `AttributeVerifier::require_key`).
   */
  requireAttributeKey(key: string): this {
    this.#attributes.requireKeys.push(key);
    return this;
  }

  /** Opens the existing service; fails with `ServiceNotFound`, `IncompatibleTypes`, `IncompatibleQos`... */
  open(): Result<S> {
    return this.#build("open");
  }

  /** Creates the service; fails with `ServiceAlreadyExists` when it exists. */
  create(): Result<S> {
    return this.#build("create");
  }

  /**
   * Opens the service when it exists, else creates it (upstream's `open_or_create`). Opening
   * fails as `open()` does (`IncompatibleTypes`, `IncompatibleQos`, `IncompatibleAttributes`...);
   * `ServiceInFlux` when another process is creating or removing it at the same moment.
   */
  openOrCreate(): Result<S> {
    return this.#build("openOrCreate");
  }

  /** Copies the attributes into a builder derived from this one (e.g. after a type change). */
  protected copyAttributesTo(other: ServiceBuilderBase<ServiceWithAttributes>): void {
    const { define, require, requireKeys } = this.#attributes;
    other.#attributes = { define: [...define], require: [...require], requireKeys: [...requireKeys] };
  }

  /** Checks the pattern's own options before anything native runs. */
  protected validate(): Iox2Error | undefined {
    return undefined;
  }

  /** The service's types by role; those holding a struct get their field layout recorded and checked. */
  protected layoutTypes(): readonly { role: LayoutRole; type: PayloadType | undefined }[] {
    return [];
  }

  /** Opens the native service from `spec` (name, mode and attributes filled in) and wraps it. */
  protected abstract openService(native: Native, node: Handle, spec: { name: string; mode: OpenMode; attributes: AttributesSpec }): S;

  #build(mode: OpenMode): Result<S> {
    if (typeof this.name !== "string") {
      return err(new Iox2Error("InvalidName", `service name must be a string, got ${typeof this.name}`));
    }
    if (!isWellFormed(this.name)) {
      return err(new Iox2Error("InvalidName", `service name ${JSON.stringify(this.name)} has a lone surrogate, so it is not valid Unicode`));
    }
    const attributes = this.#attributes;
    for (const { key, value } of [...attributes.define, ...attributes.require]) {
      const invalid = checkText("attribute key", key) ?? checkText("attribute value", value);
      if (invalid !== undefined) return err(invalid);
    }
    const reserved = attributes.define.find(({ key }) => key.startsWith(LAYOUT_ATTRIBUTE_PREFIX));
    if (reserved !== undefined) {
      return err(new Iox2Error("InvalidArgument", `attribute key '${reserved.key}' is reserved: keys starting with '${LAYOUT_ATTRIBUTE_PREFIX}' record struct layouts`));
    }
    for (const key of attributes.requireKeys) {
      const invalid = checkText("attribute key", key);
      if (invalid !== undefined) return err(invalid);
    }
    const invalid = this.validate();
    if (invalid !== undefined) return err(invalid);
    return attempt(() => {
      const layouts = layoutRecords(this.layoutTypes());
      const defineOnCreate = layouts.map(({ key, value }) => ({ key, value }));
      const { native, handle } = nativeOf(this.node);
      const service = this.openService(native, handle, { name: this.name, mode, attributes: { ...attributes, defineOnCreate } });
      if (mode === "create" || layouts.length === 0) return service;
      try {
        const incompatible = checkLayouts(this.name, layouts, service.staticConfig().unwrap().attributes);
        if (incompatible !== undefined) throw incompatible;
      } catch (error) {
        service.close();
        throw error;
      }
      return service;
    });
  }
}

/** What identifies an open service beyond its name: declared once, in the Rust core. */
export type { ServiceIdentity };
