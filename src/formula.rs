//! Formulas: derived metrics (`paid / orders * 100`), formula rules, critical
//! conditions and formula bonuses, evaluated with the `evalexpr` crate.
//!
//! A formula is parsed once ([`Formula::parse`]) and evaluated per agent against a
//! small slice of named values. Evaluation does no I/O, cannot loop, and cannot
//! assign (the context is read-only), so its cost is bounded by the formula's size.
//! All values are floating point; a result that is not a finite number (division by
//! zero) is an error the caller reports as a per-agent warning.

use evalexpr::{Context, EvalexprError, EvalexprResult, Node, Value};

/// The longest formula accepted, in characters.
pub const MAX_LEN: usize = 500;

/// A parsed formula and the names it reads.
#[derive(Debug, Clone)]
pub struct Formula {
    node: Node,
    /// Variable names the formula reads, without duplicates, in first-use order.
    pub variables: Vec<String>,
}

/// Why a formula could not be used.
#[derive(Debug, Clone, PartialEq)]
pub enum FormulaError {
    Empty,
    TooLong { len: usize },
    /// The text does not parse; the crate's message.
    Syntax(String),
    /// Evaluation failed: division by zero, wrong types, unknown function…
    Eval(String),
    DivisionByZero,
    NotANumber,
    NotABoolean,
}

impl std::fmt::Display for FormulaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormulaError::Empty => write!(f, "the formula is empty"),
            FormulaError::TooLong { len } => write!(f, "the formula is {len} characters long; at most {MAX_LEN} are allowed"),
            FormulaError::Syntax(m) => write!(f, "the formula cannot be read: {m}"),
            FormulaError::Eval(m) => write!(f, "the formula cannot be computed: {m}"),
            FormulaError::DivisionByZero => write!(f, "division by zero"),
            FormulaError::NotANumber => write!(f, "the formula does not give a number"),
            FormulaError::NotABoolean => write!(f, "the condition does not give true or false"),
        }
    }
}

impl Formula {
    pub fn parse(text: &str) -> Result<Formula, FormulaError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(FormulaError::Empty);
        }
        let len = text.chars().count();
        if len > MAX_LEN {
            return Err(FormulaError::TooLong { len });
        }
        let node = evalexpr::build_operator_tree(text).map_err(|e| FormulaError::Syntax(e.to_string()))?;
        // Assignment and chaining make no sense in a scheme and could shadow figures.
        if writes(&node) {
            return Err(FormulaError::Syntax("assignment (`=`, `+=`, `;`) is not allowed; use == to compare".to_string()));
        }
        let mut variables: Vec<String> = Vec::new();
        for v in node.iter_variable_identifiers() {
            if !variables.iter().any(|x| x == v) {
                variables.push(v.to_string());
            }
        }
        Ok(Formula { node, variables })
    }

    /// Evaluates to a finite number. `values` gives each name's value (`None` = missing,
    /// which makes the formula fail with a clear message).
    pub fn number(&self, values: &Values<'_>) -> Result<f64, FormulaError> {
        let v = self.node.eval_with_context(values).map_err(eval_error)?;
        let n = match v {
            Value::Float(f) => f,
            Value::Int(i) => i as f64,
            Value::Boolean(b) => f64::from(u8::from(b)),
            _ => return Err(FormulaError::NotANumber),
        };
        if n.is_nan() || n.is_infinite() {
            // x / 0.0 gives ±inf, 0.0 / 0.0 gives NaN.
            return Err(FormulaError::DivisionByZero);
        }
        Ok(n)
    }

    /// Evaluates a condition.
    pub fn boolean(&self, values: &Values<'_>) -> Result<bool, FormulaError> {
        match self.node.eval_with_context(values).map_err(eval_error)? {
            Value::Boolean(b) => Ok(b),
            Value::Float(f) if f.is_finite() => Ok(f != 0.0),
            Value::Int(i) => Ok(i != 0),
            _ => Err(FormulaError::NotABoolean),
        }
    }
}

/// Whether the tree assigns to a variable or chains statements.
fn writes(node: &Node) -> bool {
    use evalexpr::Operator as O;
    matches!(
        node.operator(),
        O::Assign
            | O::AddAssign
            | O::SubAssign
            | O::MulAssign
            | O::DivAssign
            | O::ModAssign
            | O::ExpAssign
            | O::AndAssign
            | O::OrAssign
            | O::Chain
            | O::VariableIdentifierWrite { .. }
    ) || node.children().iter().any(writes)
}

fn eval_error(e: EvalexprError) -> FormulaError {
    match e {
        EvalexprError::DivisionError { .. } => FormulaError::DivisionByZero,
        other => FormulaError::Eval(other.to_string()),
    }
}

/// The named values a formula reads: parallel slices of names and values.
pub struct Values<'a> {
    names: &'a [String],
    values: Vec<Value>,
}

impl<'a> Values<'a> {
    /// `values[i]` is the value of `names[i]`; `None` and non-finite become "missing".
    pub fn new(names: &'a [String], values: impl IntoIterator<Item = Option<f64>>) -> Values<'a> {
        let values = values
            .into_iter()
            .map(|v| match v {
                Some(f) if f.is_finite() => Value::Float(f),
                _ => Value::Empty,
            })
            .collect();
        Values { names, values }
    }
}

impl Context for Values<'_> {
    fn get_value(&self, identifier: &str) -> Option<&Value> {
        let i = self.names.iter().position(|n| n == identifier)?;
        match self.values.get(i) {
            Some(Value::Empty) | None => None,
            Some(v) => Some(v),
        }
    }

    fn call_function(&self, identifier: &str, _argument: &Value) -> EvalexprResult<Value> {
        Err(EvalexprError::FunctionIdentifierNotFound(identifier.to_string()))
    }

    fn are_builtin_functions_disabled(&self) -> bool {
        false
    }

    fn set_builtin_functions_disabled(&mut self, _disabled: bool) -> EvalexprResult<()> {
        Err(EvalexprError::ContextNotMutable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str, names: &[&str], vals: &[f64]) -> Result<f64, FormulaError> {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let f = Formula::parse(text)?;
        f.number(&Values::new(&names, vals.iter().map(|v| Some(*v))))
    }

    #[test]
    fn computes_the_web_store_ratios() {
        let r = eval("inquirers / contacts * 100", &["inquirers", "contacts"], &[2475.0, 3076.0]).unwrap();
        assert_eq!((r * 100.0).round() / 100.0, 80.46);
        let r = eval("(final + later) / orderers * 100", &["final", "later", "orderers"], &[509.0, 317.0, 915.0]).unwrap();
        assert_eq!((r * 100.0).round() / 100.0, 90.27);
        let r = eval("lost / ordered * 100", &["lost", "ordered"], &[77.0, 556.0]).unwrap();
        assert_eq!((r * 100.0).round() / 100.0, 13.85);
    }

    #[test]
    fn division_by_zero_is_an_error_not_infinity() {
        assert_eq!(eval("a / b", &["a", "b"], &[1.0, 0.0]), Err(FormulaError::DivisionByZero));
        assert_eq!(eval("a / b", &["a", "b"], &[0.0, 0.0]), Err(FormulaError::DivisionByZero));
        assert_eq!(eval("1 / 0", &[], &[]), Err(FormulaError::DivisionByZero));
    }

    #[test]
    fn rejects_bad_text() {
        assert_eq!(Formula::parse("  ").err(), Some(FormulaError::Empty));
        assert!(matches!(Formula::parse("a +* (b"), Err(FormulaError::Syntax(_))));
        assert!(matches!(Formula::parse("a = 3"), Err(FormulaError::Syntax(_))));
        assert!(matches!(Formula::parse(&"a+".repeat(400)), Err(FormulaError::TooLong { .. })));
        // A missing value is an evaluation error, not a silent zero.
        assert!(matches!(eval("a + b", &["a"], &[1.0]), Err(FormulaError::Eval(_))));
    }

    #[test]
    fn lists_variables_and_compares() {
        let f = Formula::parse("if(fraud > 0, 1, 0) + fraud").unwrap();
        assert_eq!(f.variables, vec!["fraud".to_string()]);
        let names = vec!["fraud".to_string()];
        assert!(Formula::parse("fraud >= 1").unwrap().boolean(&Values::new(&names, [Some(2.0)])).unwrap());
        assert!(!Formula::parse("fraud >= 1").unwrap().boolean(&Values::new(&names, [Some(0.0)])).unwrap());
    }
}
