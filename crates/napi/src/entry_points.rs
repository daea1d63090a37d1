//! The addon's exports as JavaScript sees them, declared once beside the functions. Each line is
//! checked against the function's Rust signature when the addon builds, and a test renders the
//! TypeScript interface the Node adapter loads the addon as (`packages/node/src/generated/addon.ts`).

use napi::bindgen_prelude::{ArrayBuffer, Env, Function, Object};

use crate::JsResult;

/// One export: its JavaScript name, what it does, its parameters (name, TypeScript type) and
/// result type.
pub struct EntryPoint {
    pub name: &'static str,
    pub doc: &'static str,
    pub parameters: &'static [(&'static str, &'static str)],
    pub result: &'static str,
}

/// The TypeScript type of a value napi-rs converts to or from this Rust type.
pub trait TypeScript {
    const TS: &'static str;
}

macro_rules! typescript {
    ($($type:ty => $ts:literal),* $(,)?) => {
        $(impl TypeScript for $type {
            const TS: &'static str = $ts;
        })*
    };
}
typescript!(
    String => "string",
    f64 => "number",
    u32 => "number",
    () => "void",
    Vec<String> => "string[]",
    ArrayBuffer<'_> => "ArrayBuffer",
    Function<'_, f64, ()> => "(token: number) => void",
);

impl<T: TypeScript> TypeScript for JsResult<T> {
    const TS: &'static str = T::TS;
}

/// What `operations` returns: one plain Node-API function per operation (`operations.rs`).
pub struct Operations;

impl TypeScript for Operations {
    const TS: &'static str = "import(\"@iceoryx2-js/core-api/runtime\").NativeOperations";
}

/// `rust_name as jsName(&Env; parameter: Type, …) -> Result as Shown;` — `&Env;` marks a
/// function that takes the environment first (not a JavaScript argument); `as Shown` gives the
/// TypeScript type when the Rust result type does not say it.
macro_rules! entry_points {
    (@result $result:ty) => { <$result as TypeScript>::TS };
    (@result $result:ty, $shown:ty) => { <$shown as TypeScript>::TS };
    ($(
        $(#[doc = $doc:literal])*
        $rust:ident as $js:ident ( $(& $env:ident ;)? $($parameter:ident : $type:ty),* )
            -> $result:ty $(as $shown:ty)?;
    )*) => {
        /// Every export of the addon.
        pub const ENTRY_POINTS: &[EntryPoint] = &[$(EntryPoint {
            name: stringify!($js),
            doc: concat!($($doc, "\n"),*),
            parameters: &[$((stringify!($parameter), <$type as TypeScript>::TS)),*],
            result: entry_points!(@result $result $(, $shown)?),
        },)*];
        $(const _: fn($(& $env,)? $($type),*) -> $result = crate::$rust;)*
    };
}

entry_points! {
    /// Names of every error kind in code order.
    error_kinds as errorKinds() -> Vec<String>;
    /// The iceoryx2 crate version this addon links.
    iceoryx2_version as iceoryx2Version() -> String;
    /// Detaches a sample buffer whose sample is being closed with its parent.
    detach as detach(buffer: ArrayBuffer) -> JsResult<()>;
    /// This thread's info array (`SAMPLE_INFO_LENGTH` numbers) as an ArrayBuffer.
    sample_info_buffer as sampleInfoBuffer(&Env;) -> JsResult<ArrayBuffer>;
    /// A control operation: JSON arguments in, JSON result out.
    control as control(&Env; op: String, handle: f64, argsJson: String) -> JsResult<String>;
    /// Every per-message operation as its own function, by name.
    operations as operations(&Env;) -> JsResult<Object> as Operations;
    /// Delivers reactor wake-ups to `callback` on this thread.
    waker_start as wakerStart(callback: Function<f64, ()>) -> JsResult<()>;
    /// Like `wakerStart`, with listener descriptors watched on this thread's libuv loop.
    waker_start_on_loop as wakerStartOnLoop(&Env; callback: Function<f64, ()>) -> JsResult<()>;
}

/// The text of the Node adapter's `src/generated/addon.ts`.
pub fn addon_interface() -> String {
    let mut out = String::from(
        "// Generated from crates/napi/src/entry_points.rs by its test: do not edit. Regenerate with\n\
         // IOX2JS_REGENERATE=1 cargo test -p iceoryx2-js-napi (the test fails when this file differs).\n\n\
         /** The napi addon's exports. */\nexport interface Addon {\n",
    );
    for entry in ENTRY_POINTS {
        let text = entry.doc.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            out.push_str(&format!("  /** {text} */\n"));
        }
        let parameters: Vec<String> = entry
            .parameters
            .iter()
            .map(|(name, ts)| format!("{name}: {ts}"))
            .collect();
        out.push_str(&format!(
            "  {}({}): {};\n",
            entry.name,
            parameters.join(", "),
            entry.result
        ));
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    /// Fails when the Node adapter's addon interface differs from the declaration (rewrites it
    /// with `IOX2JS_REGENERATE=1`).
    #[test]
    fn generated_addon_interface_is_current() {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../packages/node/src/generated/addon.ts");
        let generated = super::addon_interface();
        if std::env::var_os("IOX2JS_REGENERATE").is_some() {
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, &generated).unwrap();
        }
        let current = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(
            current == generated,
            "{} differs from crates/napi/src/entry_points.rs: run IOX2JS_REGENERATE=1 cargo test -p iceoryx2-js-napi",
            file.display()
        );
    }
}
