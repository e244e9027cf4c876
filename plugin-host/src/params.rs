//! Parameter schemas declared in `plugin.toml`, and checking user-supplied values against them.
//!
//! The app draws one form control per [`ParamSpec`]; the host fills in defaults and rejects unknown or
//! out-of-range values before the plugin sees them, so plugins can trust what they read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One declared parameter.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum ParamSpec {
    /// A whole number in `[min, max]`.
    Integer {
        /// Used when the user gives no value.
        default: i64,
        /// Smallest allowed value.
        min: Option<i64>,
        /// Largest allowed value.
        max: Option<i64>,
        /// The control's label (`snake_case` names are spelled out when there is none).
        #[serde(default)]
        label: String,
        /// Help shown with the control.
        #[serde(default)]
        description: String,
    },
    /// A finite number in `[min, max]`.
    Number {
        /// Used when the user gives no value.
        default: f64,
        /// Smallest allowed value.
        min: Option<f64>,
        /// Largest allowed value.
        max: Option<f64>,
        /// The control's label (`snake_case` names are spelled out when there is none).
        #[serde(default)]
        label: String,
        /// Help shown with the control.
        #[serde(default)]
        description: String,
    },
    /// On or off.
    Boolean {
        /// Used when the user gives no value.
        default: bool,
        /// The control's label (`snake_case` names are spelled out when there is none).
        #[serde(default)]
        label: String,
        /// Help shown with the control.
        #[serde(default)]
        description: String,
    },
    /// One of a fixed list of strings.
    Choice {
        /// Used when the user gives no value; must be one of `choices`.
        default: String,
        /// The allowed values.
        choices: Vec<String>,
        /// The control's label (`snake_case` names are spelled out when there is none).
        #[serde(default)]
        label: String,
        /// Help shown with the control.
        #[serde(default)]
        description: String,
    },
}

/// A user-supplied parameter value the schema does not allow.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ParamError {
    /// The plugin declares no such parameter.
    #[error("unknown parameter {0:?}")]
    Unknown(String),
    /// The value has the wrong JSON type or is outside the declared range or choices.
    #[error("parameter {name:?}: {problem}")]
    Invalid {
        /// The parameter.
        name: String,
        /// What is wrong with the value.
        problem: ValueProblem,
    },
    /// The parameters are not a JSON object.
    #[error("parameters must be a JSON object of name → value: {0}")]
    NotAnObject(String),
}

/// What is wrong with one parameter value.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ValueProblem {
    /// Not a whole number.
    #[error("expected a whole number, found {0}")]
    NotInteger(String),
    /// Not a finite number.
    #[error("expected a number, found {0}")]
    NotNumber(String),
    /// Not `true` or `false`.
    #[error("expected true or false, found {0}")]
    NotBoolean(String),
    /// Not one of the declared choices.
    #[error("expected one of {choices:?}, found {found}")]
    NotAChoice {
        /// The declared choices.
        choices: Vec<String>,
        /// The value given.
        found: String,
    },
    /// Below the declared minimum.
    #[error("{value} is below the minimum {min}")]
    BelowMin {
        /// The value given.
        value: String,
        /// The minimum.
        min: String,
    },
    /// Above the declared maximum.
    #[error("{value} is above the maximum {max}")]
    AboveMax {
        /// The value given.
        value: String,
        /// The maximum.
        max: String,
    },
}

/// A parameter declaration whose default its own rules refuse.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("default {default}: {problem}")]
pub struct BadDefault {
    /// The default, as JSON.
    pub default: String,
    /// Why it is refused.
    pub problem: ValueProblem,
}

impl ParamSpec {
    /// Checks the declaration itself: the default lies inside the range or choices.
    pub(crate) fn check(&self) -> Result<(), BadDefault> {
        let default = self.default_value();
        self.accept(&default).map(|_| ()).map_err(|problem| BadDefault { default: default.to_string(), problem })
    }

    /// The label of the parameter `name`: the manifest's `label`, else the name spelled out
    /// (`publish_every` → "Publish every").
    #[must_use]
    pub fn label_for(&self, name: &str) -> String {
        let label = match self {
            Self::Integer { label, .. }
            | Self::Number { label, .. }
            | Self::Boolean { label, .. }
            | Self::Choice { label, .. } => label,
        };
        if !label.trim().is_empty() {
            return label.clone();
        }
        let words = name.replace(['_', '-'], " ");
        let mut chars = words.trim().chars();
        chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
    }

    /// The help text shown with the control.
    #[must_use]
    pub fn description(&self) -> &str {
        match self {
            Self::Integer { description, .. }
            | Self::Number { description, .. }
            | Self::Boolean { description, .. }
            | Self::Choice { description, .. } => description,
        }
    }

    /// The value used when the user gives none.
    pub fn default_value(&self) -> Value {
        match self {
            Self::Integer { default, .. } => Value::from(*default),
            Self::Number { default, .. } => Value::from(*default),
            Self::Boolean { default, .. } => Value::from(*default),
            Self::Choice { default, .. } => Value::from(default.clone()),
        }
    }

    fn accept(&self, value: &Value) -> Result<Value, ValueProblem> {
        match self {
            Self::Integer { min, max, .. } => {
                let v = value.as_i64().ok_or_else(|| ValueProblem::NotInteger(value.to_string()))?;
                in_range(v, *min, *max)?;
                Ok(Value::from(v))
            }
            Self::Number { min, max, .. } => {
                let v = value
                    .as_f64()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| ValueProblem::NotNumber(value.to_string()))?;
                in_range(v, *min, *max)?;
                Ok(Value::from(v))
            }
            Self::Boolean { .. } => {
                value.as_bool().map(Value::from).ok_or_else(|| ValueProblem::NotBoolean(value.to_string()))
            }
            Self::Choice { choices, .. } => match value.as_str() {
                Some(s) if choices.iter().any(|c| c == s) => Ok(Value::from(s)),
                _ => Err(ValueProblem::NotAChoice { choices: choices.clone(), found: value.to_string() }),
            },
        }
    }
}

fn in_range<T: PartialOrd + std::fmt::Display + Copy>(
    v: T,
    min: Option<T>,
    max: Option<T>,
) -> Result<(), ValueProblem> {
    if let Some(min) = min.filter(|min| v < *min) {
        return Err(ValueProblem::BelowMin { value: v.to_string(), min: min.to_string() });
    }
    if let Some(max) = max.filter(|max| v > *max) {
        return Err(ValueProblem::AboveMax { value: v.to_string(), max: max.to_string() });
    }
    Ok(())
}

/// Checks `given` (a JSON object, or `null` for none) against `schema` and fills in defaults.
///
/// # Errors
/// The first unknown parameter or invalid value.
pub fn resolve_params(schema: &BTreeMap<String, ParamSpec>, given: &Value) -> Result<Map<String, Value>, ParamError> {
    let empty = Map::new();
    let given = match given {
        Value::Null => &empty,
        Value::Object(map) => map,
        other => return Err(ParamError::NotAnObject(other.to_string())),
    };
    if let Some(unknown) = given.keys().find(|k| !schema.contains_key(*k)) {
        return Err(ParamError::Unknown(unknown.clone()));
    }
    schema
        .iter()
        .map(|(name, spec)| {
            let value = match given.get(name) {
                Some(v) => spec.accept(v).map_err(|problem| ParamError::Invalid { name: name.clone(), problem })?,
                None => spec.default_value(),
            };
            Ok((name.clone(), value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schema() -> BTreeMap<String, ParamSpec> {
        toml::from_str(
            r#"
            [iterations]
            type = "integer"
            default = 300
            min = 1
            max = 5000
            label = "Steps"
            description = "How many steps to run."
            [gravity]
            type = "number"
            default = 1.0
            min = 0.0
            [mode]
            type = "choice"
            default = "fan-in"
            choices = ["fan-in", "fan-out"]
            [hubs]
            type = "boolean"
            default = true
            "#,
        )
        .unwrap()
    }

    #[test]
    fn labels_come_from_the_manifest_or_the_name() {
        let s = schema();
        assert_eq!(s["iterations"].label_for("iterations"), "Steps");
        assert_eq!(s["iterations"].description(), "How many steps to run.");
        assert_eq!(s["gravity"].label_for("gravity"), "Gravity");
        assert_eq!(s["hubs"].label_for("hub_degree-limit"), "Hub degree limit");
        assert_eq!(s["mode"].description(), "");
    }

    #[test]
    fn defaults_fill_missing_values() {
        let p = resolve_params(&schema(), &json!({"iterations": 10})).unwrap();
        assert_eq!(p["iterations"], 10);
        assert_eq!(p["gravity"], 1.0);
        assert_eq!(p["mode"], "fan-in");
        assert_eq!(p["hubs"], true);
        assert_eq!(resolve_params(&schema(), &Value::Null).unwrap()["iterations"], 300);
    }

    #[test]
    fn bad_values_are_named() {
        let s = schema();
        assert_eq!(resolve_params(&s, &json!({"speed": 1})), Err(ParamError::Unknown("speed".into())));
        let err = resolve_params(&s, &json!({"iterations": 0})).unwrap_err().to_string();
        assert_eq!(err, "parameter \"iterations\": 0 is below the minimum 1");
        let err = resolve_params(&s, &json!({"iterations": 1.5})).unwrap_err().to_string();
        assert!(err.contains("whole number"), "{err}");
        assert!(resolve_params(&s, &json!({"mode": "both"})).is_err());
        assert!(resolve_params(&s, &json!({"hubs": "yes"})).is_err());
        assert!(matches!(resolve_params(&s, &json!([1])), Err(ParamError::NotAnObject(_))));
    }

    #[test]
    fn declaration_is_checked() {
        let spec: ParamSpec = toml::from_str("type = \"integer\"\ndefault = 0\nmin = 1").unwrap();
        assert!(spec.check().is_err());
        let unknown = toml::from_str::<ParamSpec>("type = \"integer\"\ndefault = 0\nstep = 1");
        assert!(unknown.unwrap_err().to_string().contains("step"));
    }
}
