//! Writes what the Rust side owns into core-api's TypeScript, so nothing is kept twice by hand:
//! the shared contract (`contract.rs`: error kinds, count limits, sample-info slots, the C ABI
//! version) and the config defaults the doc comments name.
//!
//! Defaults are filled from iceoryx2's own built-in config, so a reader sees upstream's value and
//! an iceoryx2 upgrade cannot leave a stale number behind.
//!
//! A doc comment names a config default with a line of this form (the value is rewritten here):
//!
//! ```text
//! * @defaultValue 2 (config `defaults.request-response.max-response-buffer-size`)
//! ```
//!
//! The path is the key in iceoryx2's TOML config file; the value is what `Config::default()`
//! holds there, the one a node uses when no config file sets it.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

mod contract;
pub use contract::{
    contract_file, contract_ts, control_file, control_ts, operations_file, operations_ts,
};

const TAG: &str = "@defaultValue ";
const SOURCE_OPEN: &str = " (config `";
const SOURCE_CLOSE: &str = "`)";

/// iceoryx2's built-in config with the TOML file's key names.
pub fn builtin_config() -> Value {
    serde_json::to_value(iceoryx2::config::Config::default()).expect("iceoryx2's config serializes")
}

/// The value at a dotted TOML path, as a doc comment shows it: numbers and booleans as they are,
/// an unset option as `none`, an enum variant as the TypeScript string that names it
/// (`RetryUntilDelivered` → `"retryUntilDelivered"`, the API's spelling of upstream's variants).
pub fn config_value(config: &Value, path: &str) -> Result<String, String> {
    let mut value = config;
    for key in path.split('.') {
        value = value
            .get(key)
            .ok_or_else(|| format!("iceoryx2's config has no key `{path}` (no `{key}`)"))?;
    }
    match value {
        Value::Bool(_) | Value::Number(_) => Ok(value.to_string()),
        Value::Null => Ok("none".to_string()),
        Value::String(variant) => {
            let mut chars = variant.chars();
            let first = chars.next().map(|c| c.to_ascii_lowercase()).into_iter();
            Ok(format!("\"{}\"", first.chain(chars).collect::<String>()))
        }
        other => Err(format!(
            "`{path}` is not a single value in iceoryx2's config: {other}"
        )),
    }
}

/// One source's text with every config default rewritten; errors name file and line.
pub fn fill_defaults(file: &Path, text: &str, config: &Value) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let Some(tag) = line.find(TAG) else {
            out.push_str(line);
            continue;
        };
        let value_start = tag + TAG.len();
        let (Some(open), Some(close)) = (line.find(SOURCE_OPEN), line.rfind(SOURCE_CLOSE)) else {
            out.push_str(line); // a default stated in words, not read from the config
            continue;
        };
        if open < value_start || close < open {
            return Err(format!(
                "{}:{}: malformed @defaultValue line",
                file.display(),
                index + 1
            ));
        }
        let path = &line[open + SOURCE_OPEN.len()..close];
        let value = config_value(config, path)
            .map_err(|e| format!("{}:{}: {e}", file.display(), index + 1))?;
        let _ = write!(out, "{}{value}{}", &line[..value_start], &line[open..]);
    }
    Ok(out)
}

/// The TypeScript sources whose doc comments may name config defaults.
pub fn sources(workspace_root: &Path) -> Vec<PathBuf> {
    let dir = workspace_root.join("packages/core-api/src");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "ts"))
        .collect();
    files.sort();
    files
}

/// The generated files that differ from what the Rust side declares (the contract, and doc
/// comments whose defaults differ from iceoryx2's), each with its current text.
pub fn stale_files(workspace_root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let config = builtin_config();
    let mut stale = Vec::new();
    for (file, generated) in [
        (contract_file(workspace_root), contract_ts()),
        (control_file(workspace_root), control_ts()),
        (operations_file(workspace_root), operations_ts()),
    ] {
        if fs::read_to_string(&file).ok().as_deref() != Some(generated.as_str()) {
            stale.push((file, generated));
        }
    }
    for file in sources(workspace_root) {
        let text = fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let filled = fill_defaults(&file, &text, &config)?;
        if filled != text {
            stale.push((file, filled));
        }
    }
    Ok(stale)
}

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_a_value_from_the_builtin_config_and_keeps_the_rest_of_the_line() {
        let config = builtin_config();
        let text = "  /**\n   * Size.\n   * @defaultValue ? (config `defaults.request-response.max-response-buffer-size`)\n   */\n";
        let filled = fill_defaults(Path::new("x.ts"), text, &config).unwrap();
        let expected = iceoryx2::config::Config::default()
            .defaults
            .request_response
            .max_response_buffer_size;
        assert_eq!(
            filled,
            format!("  /**\n   * Size.\n   * @defaultValue {expected} (config `defaults.request-response.max-response-buffer-size`)\n   */\n")
        );
        let strategy =
            "   * @defaultValue ? (config `defaults.publish-subscribe.backpressure-strategy`)\n";
        assert_eq!(
            fill_defaults(Path::new("x.ts"), strategy, &config).unwrap(),
            "   * @defaultValue \"retryUntilDelivered\" (config `defaults.publish-subscribe.backpressure-strategy`)\n"
        );
        let unset = "   * @defaultValue ? (config `defaults.event.deadline`)\n";
        assert_eq!(
            fill_defaults(Path::new("x.ts"), unset, &config).unwrap(),
            "   * @defaultValue none (config `defaults.event.deadline`)\n"
        );
        let words = "   * @defaultValue what the service was created with\n";
        assert_eq!(
            fill_defaults(Path::new("x.ts"), words, &config).unwrap(),
            words
        );
    }

    #[test]
    fn an_unknown_path_names_file_line_and_key() {
        let error = fill_defaults(
            Path::new("x.ts"),
            "a\n * @defaultValue 1 (config `defaults.nope`)\n",
            &builtin_config(),
        )
        .unwrap_err();
        assert_eq!(
            error,
            "x.ts:2: iceoryx2's config has no key `defaults.nope` (no `nope`)"
        );
    }

    /// Fails when the Rust side's contract or an iceoryx2 default changed without regenerating,
    /// or a generated line was edited by hand.
    #[test]
    fn generated_typescript_is_current() {
        let stale = stale_files(&workspace_root()).unwrap();
        let names: Vec<String> = stale
            .iter()
            .map(|(file, _)| file.display().to_string())
            .collect();
        assert!(
            names.is_empty(),
            "generated TypeScript differs from the Rust side in {names:?}: run `cargo run -p iceoryx2-js-codegen`"
        );
    }
}
