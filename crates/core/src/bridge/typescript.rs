//! TypeScript declarations of the types control operations take and return, from their Rust
//! definitions (`ts_rs`), for the code generator: the wire types are written once, in Rust.

use std::collections::BTreeMap;

use ts_rs::{Config, TypeVisitor, TS};

/// Collects the declarations a set of control operations needs, each once, by name (the order
/// `ts_rs` visits dependencies in differs between builds).
pub struct Declarations {
    config: Config,
    declarations: BTreeMap<String, String>,
}

impl Default for Declarations {
    fn default() -> Self {
        Self {
            // Handles, counts and sizes cross as JavaScript numbers (below 2^53), never bigint.
            config: Config::new().with_large_int("number"),
            declarations: BTreeMap::new(),
        }
    }
}

impl Declarations {
    /// The TypeScript name of `T`, declaring `T` and every type it uses.
    pub fn name_of<T: TS + 'static + ?Sized>(&mut self) -> String {
        self.visit::<T>();
        T::visit_dependencies(self);
        T::visit_generics(self);
        T::name(&self.config)
    }

    /// Every declaration collected, `export`ed, sorted by name.
    pub fn declarations(&self) -> impl Iterator<Item = &String> {
        self.declarations.values()
    }
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Only named types (structs and enums of this crate and iceoryx2's shadows) have a
        // declaration; built-ins and generic wrappers have no output path.
        if T::output_path().is_none() {
            return;
        }
        let name = T::ident(&self.config);
        if self.declarations.contains_key(&name) {
            return;
        }
        // The type's doc comment (already a JSDoc block) goes with it.
        let docs = T::docs().unwrap_or_default();
        self.declarations
            .insert(name, format!("{docs}export {}", T::decl(&self.config)));
        T::visit_dependencies(self);
    }
}
