import { iox2 } from "../shared/adapter.js";

/** Upstream's blackboard example key: a struct key, compared field by field (padding ignored). */
export const BlackboardKey = iox2.struct("BlackboardKey", { x: iox2.u32, y: iox2.i64, z: iox2.u16 });
export const KEY_0 = { x: 0, y: -4n, z: 4 };
export const KEY_1 = { x: 1, y: -4n, z: 4 };
