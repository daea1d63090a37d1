import type { Harness } from "./harness.ts";

/** The `Iox2Error` that `action` throws; fails the test when it throws something else or nothing. */
export function thrownIox2Error(h: Harness, action: () => unknown): InstanceType<Harness["api"]["Iox2Error"]> {
  try {
    action();
  } catch (error) {
    h.expect(error).toBeInstanceOf(h.api.Iox2Error);
    return error as InstanceType<Harness["api"]["Iox2Error"]>;
  }
  throw new Error("expected an Iox2Error");
}
