//! Formulas: derived metrics (`paid / orders * 100`), formula rules, critical
//! conditions and formula bonuses.
//!
//! The text is parsed by the `evalexpr` crate (no hand-written parser). Its tree is
//! then compiled once into a small program over floating-point numbers, which is what
//! runs per agent: evalexpr's own evaluator allocates on every call and would be half
//! the cost of scoring 100,000 agents. Compiling also fixes the meaning for shop
//! owners: every number is a decimal number, so `7 / 2` is 3.5 (never integer
//! division), and true/false are 1/0.
//!
//! Supported: numbers, names, `+ - * / % ^`, comparisons `== != < <= > >=`, `&& || !`,
//! parentheses, and the functions `min(…)`, `max(…)`, `if(condition, then, else)`,
//! `abs`, `floor`, `ceil`, `round`. Anything else (text, assignment, `;`, other
//! functions) is refused when the formula is parsed, with a clear message.
//!
//! Evaluation does no I/O, cannot loop, and its cost is bounded by the formula's size
//! (at most [`MAX_LEN`] characters). A result that is not a finite number (division by
//! zero) is an error the caller reports as a per-agent warning. Both branches of `if`
//! are computed, so `if(orders > 0, paid / orders, 0)` is safe: only the result is checked.

use evalexpr::{Node, Operator, Value};

/// The longest formula accepted, in characters.
pub const MAX_LEN: usize = 500;

/// A parsed and compiled formula and the names it reads.
#[derive(Debug, Clone)]
pub struct Formula {
    program: Vec<Op>,
    /// The deepest the value stack gets while running the program.
    depth: usize,
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
    /// A construct the scheme does not allow: text, assignment, an unknown function …
    Unsupported(String),
    /// A name has no value for this agent.
    Missing(String),
    DivisionByZero,
}

impl std::fmt::Display for FormulaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormulaError::Empty => write!(f, "the formula is empty"),
            FormulaError::TooLong { len } => write!(f, "the formula is {len} characters long; at most {MAX_LEN} are allowed"),
            FormulaError::Syntax(m) => write!(f, "the formula cannot be read: {m}"),
            FormulaError::Unsupported(m) => write!(f, "{m}"),
            FormulaError::Missing(name) => write!(f, "no figure for {name}"),
            FormulaError::DivisionByZero => write!(f, "division by zero"),
        }
    }
}

/// One instruction of a compiled formula: a stack machine over f64.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Const(f64),
    /// Push the value of variable `n` (index into `variables`).
    Var(usize),
    Neg,
    Not,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Eq,
    Neq,
    Lt,
    Leq,
    Gt,
    Geq,
    And,
    Or,
    /// min / max of the top `n` values.
    Min(usize),
    Max(usize),
    Abs,
    Floor,
    Ceil,
    Round,
    /// Pops else, then, condition.
    If,
}

/// Stack programs this deep or less run without allocating.
const INLINE_STACK: usize = 32;

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
        let mut c = Compiler { program: Vec::new(), variables: Vec::new(), depth: 0, max_depth: 0 };
        c.node(&node)?;
        if c.depth != 1 {
            return Err(FormulaError::Syntax("the formula must give exactly one value".into()));
        }
        Ok(Formula { program: c.program, depth: c.max_depth, variables: c.variables })
    }

    /// Evaluates to a finite number. `values[i]` is the value of `variables[i]`
    /// (NaN = missing, which fails with a clear message).
    pub fn number(&self, values: &[f64]) -> Result<f64, FormulaError> {
        let x = self.run(values)?;
        if x.is_finite() {
            Ok(x)
        } else {
            // x / 0 gives ±inf, 0 / 0 gives NaN.
            Err(FormulaError::DivisionByZero)
        }
    }

    /// Evaluates a condition (non-zero is true).
    pub fn boolean(&self, values: &[f64]) -> Result<bool, FormulaError> {
        let x = self.run(values)?;
        if x.is_nan() {
            return Err(FormulaError::DivisionByZero);
        }
        Ok(x != 0.0)
    }

    fn run(&self, values: &[f64]) -> Result<f64, FormulaError> {
        for (i, name) in self.variables.iter().enumerate() {
            if values.get(i).is_none_or(|v| v.is_nan()) {
                return Err(FormulaError::Missing(name.clone()));
            }
        }
        if self.depth <= INLINE_STACK {
            let mut stack = [0.0f64; INLINE_STACK];
            Ok(exec(&self.program, values, &mut stack))
        } else {
            let mut stack = vec![0.0f64; self.depth];
            Ok(exec(&self.program, values, &mut stack))
        }
    }
}

/// A formula's inputs in the order of [`Formula::variables`], built from optional
/// values (`None` = missing). Dereferences to the `&[f64]` that [`Formula::number`] takes.
pub struct Values(Vec<f64>);

impl Values {
    pub fn new(names: &[String], values: impl IntoIterator<Item = Option<f64>>) -> Values {
        Values(values.into_iter().take(names.len()).map(|v| v.unwrap_or(f64::NAN)).collect())
    }
}

impl std::ops::Deref for Values {
    type Target = [f64];
    fn deref(&self) -> &[f64] {
        &self.0
    }
}

/// Runs a program that the compiler checked: every op finds its operands.
fn exec(program: &[Op], values: &[f64], stack: &mut [f64]) -> f64 {
    let mut sp = 0usize;
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    for op in program {
        match *op {
            Op::Const(c) => {
                stack[sp] = c;
                sp += 1;
            }
            Op::Var(i) => {
                stack[sp] = values.get(i).copied().unwrap_or(f64::NAN);
                sp += 1;
            }
            Op::Neg => stack[sp - 1] = -stack[sp - 1],
            Op::Not => stack[sp - 1] = b(stack[sp - 1] == 0.0),
            Op::Abs => stack[sp - 1] = stack[sp - 1].abs(),
            Op::Floor => stack[sp - 1] = stack[sp - 1].floor(),
            Op::Ceil => stack[sp - 1] = stack[sp - 1].ceil(),
            Op::Round => stack[sp - 1] = stack[sp - 1].round(),
            Op::Min(n) | Op::Max(n) => {
                let args = &stack[sp - n..sp];
                let r = if matches!(op, Op::Min(_)) { args.iter().copied().fold(f64::INFINITY, f64::min) } else { args.iter().copied().fold(f64::NEG_INFINITY, f64::max) };
                sp -= n;
                stack[sp] = r;
                sp += 1;
            }
            Op::If => {
                let (c, t, e) = (stack[sp - 3], stack[sp - 2], stack[sp - 1]);
                sp -= 3;
                stack[sp] = if c != 0.0 && !c.is_nan() { t } else { e };
                sp += 1;
            }
            binary => {
                let (x, y) = (stack[sp - 2], stack[sp - 1]);
                sp -= 1;
                stack[sp - 1] = match binary {
                    Op::Add => x + y,
                    Op::Sub => x - y,
                    Op::Mul => x * y,
                    Op::Div => x / y,
                    Op::Mod => x % y,
                    Op::Pow => x.powf(y),
                    Op::Eq => b(x == y),
                    Op::Neq => b(x != y),
                    Op::Lt => b(x < y),
                    Op::Leq => b(x <= y),
                    Op::Gt => b(x > y),
                    Op::Geq => b(x >= y),
                    Op::And => b(x != 0.0 && y != 0.0),
                    Op::Or => b(x != 0.0 || y != 0.0),
                    _ => f64::NAN,
                };
            }
        }
    }
    if sp == 1 {
        stack[0]
    } else {
        f64::NAN
    }
}

struct Compiler {
    program: Vec<Op>,
    variables: Vec<String>,
    depth: usize,
    max_depth: usize,
}

impl Compiler {
    fn emit(&mut self, op: Op, pops: usize, pushes: usize) {
        self.program.push(op);
        self.depth = self.depth - pops + pushes;
        self.max_depth = self.max_depth.max(self.depth);
    }

    /// Compiles a node; it leaves exactly one value on the stack (or, for a tuple,
    /// one per element — only allowed as function arguments).
    fn node(&mut self, node: &Node) -> Result<(), FormulaError> {
        let kids = node.children();
        let unary = |c: &mut Compiler, op: Op| -> Result<(), FormulaError> {
            let [a] = kids else { return Err(FormulaError::Syntax("an operator is missing its operand".into())) };
            c.node(a)?;
            c.emit(op, 1, 1);
            Ok(())
        };
        let binary = |c: &mut Compiler, op: Op| -> Result<(), FormulaError> {
            let [a, b] = kids else { return Err(FormulaError::Syntax("an operator is missing an operand".into())) };
            c.node(a)?;
            c.node(b)?;
            c.emit(op, 2, 1);
            Ok(())
        };
        match node.operator() {
            Operator::RootNode => match kids {
                [only] => self.node(only),
                [] => Err(FormulaError::Syntax("empty parentheses".into())),
                _ => Err(FormulaError::Syntax("unexpected values side by side".into())),
            },
            Operator::Const { value } => {
                let x = match value {
                    Value::Float(f) => *f,
                    Value::Int(i) => *i as f64,
                    Value::Boolean(b) => f64::from(u8::from(*b)),
                    _ => return Err(FormulaError::Unsupported("text and lists are not allowed in formulas".into())),
                };
                self.emit(Op::Const(x), 0, 1);
                Ok(())
            }
            Operator::VariableIdentifierRead { identifier } => {
                let i = match self.variables.iter().position(|v| v == identifier) {
                    Some(i) => i,
                    None => {
                        self.variables.push(identifier.clone());
                        self.variables.len() - 1
                    }
                };
                self.emit(Op::Var(i), 0, 1);
                Ok(())
            }
            Operator::Neg => unary(self, Op::Neg),
            Operator::Not => unary(self, Op::Not),
            Operator::Add => binary(self, Op::Add),
            Operator::Sub => binary(self, Op::Sub),
            Operator::Mul => binary(self, Op::Mul),
            Operator::Div => binary(self, Op::Div),
            Operator::Mod => binary(self, Op::Mod),
            Operator::Exp => binary(self, Op::Pow),
            Operator::Eq => binary(self, Op::Eq),
            Operator::Neq => binary(self, Op::Neq),
            Operator::Lt => binary(self, Op::Lt),
            Operator::Leq => binary(self, Op::Leq),
            Operator::Gt => binary(self, Op::Gt),
            Operator::Geq => binary(self, Op::Geq),
            Operator::And => binary(self, Op::And),
            Operator::Or => binary(self, Op::Or),
            Operator::FunctionIdentifier { identifier } => {
                // The argument is one child: a tuple for several arguments.
                let args: Vec<&Node> = match kids {
                    [one] if matches!(one.operator(), Operator::Tuple) => one.children().iter().collect(),
                    [one] if matches!(one.operator(), Operator::RootNode) && one.children().len() == 1 && matches!(one.children()[0].operator(), Operator::Tuple) => {
                        one.children()[0].children().iter().collect()
                    }
                    [one] => vec![one],
                    _ => return Err(FormulaError::Syntax(format!("{identifier}(…) needs its arguments in parentheses"))),
                };
                let n = args.len();
                let (op, arity_ok) = match identifier.as_str() {
                    "min" => (Op::Min(n), n >= 1),
                    "max" => (Op::Max(n), n >= 1),
                    "if" => (Op::If, n == 3),
                    "abs" | "math::abs" => (Op::Abs, n == 1),
                    "floor" => (Op::Floor, n == 1),
                    "ceil" => (Op::Ceil, n == 1),
                    "round" => (Op::Round, n == 1),
                    other => {
                        return Err(FormulaError::Unsupported(format!("unknown function {other}(); use min, max, if, abs, floor, ceil or round")));
                    }
                };
                if !arity_ok {
                    return Err(FormulaError::Syntax(format!("{identifier}(…) has the wrong number of arguments ({n})")));
                }
                for a in &args {
                    self.node(a)?;
                }
                self.emit(op, n, 1);
                Ok(())
            }
            Operator::Tuple => Err(FormulaError::Syntax("a list of values (a, b) is only allowed as a function's arguments".into())),
            _ => Err(FormulaError::Unsupported("assignment (`=`, `+=`) and `;` are not allowed; use == to compare".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str, vals: &[f64]) -> Result<f64, FormulaError> {
        Formula::parse(text)?.number(vals)
    }

    #[test]
    fn computes_the_web_store_ratios() {
        let r = eval("inquirers / contacts * 100", &[2475.0, 3076.0]).unwrap();
        assert_eq!((r * 100.0).round() / 100.0, 80.46);
        let r = eval("(final + later) / orderers * 100", &[509.0, 317.0, 915.0]).unwrap();
        assert_eq!((r * 100.0).round() / 100.0, 90.27);
        let r = eval("lost / ordered * 100", &[77.0, 556.0]).unwrap();
        assert_eq!((r * 100.0).round() / 100.0, 13.85);
    }

    #[test]
    fn arithmetic_is_decimal_not_integer() {
        assert_eq!(eval("7 / 2", &[]), Ok(3.5));
        assert_eq!(eval("2 ^ 10", &[]), Ok(1024.0));
        assert_eq!(eval("-3 + 10 % 4", &[]), Ok(-1.0));
        assert_eq!(eval("2 * (3 + 4)", &[]), Ok(14.0));
        assert_eq!(eval("min(3, 1, 2) + max(1, 5) + abs(-2) + floor(1.7) + ceil(1.2) + round(2.5)", &[]), Ok(1.0 + 5.0 + 2.0 + 1.0 + 2.0 + 3.0));
        assert_eq!(eval("if(a > 0, b / a, 0)", &[0.0, 5.0]), Ok(0.0), "the untaken branch's division by zero is harmless");
        assert_eq!(eval("if(a > 0, b / a, 0)", &[2.0, 5.0]), Ok(2.5));
        assert_eq!(eval("a >= 1 && !(b == 2) || false", &[1.0, 3.0]), Ok(1.0));
    }

    #[test]
    fn division_by_zero_is_an_error_not_infinity() {
        assert_eq!(eval("a / b", &[1.0, 0.0]), Err(FormulaError::DivisionByZero));
        assert_eq!(eval("a / b", &[0.0, 0.0]), Err(FormulaError::DivisionByZero));
        assert_eq!(eval("1 / 0", &[]), Err(FormulaError::DivisionByZero));
    }

    #[test]
    fn rejects_bad_text() {
        assert_eq!(Formula::parse("  ").err(), Some(FormulaError::Empty));
        assert!(matches!(Formula::parse("a +* (b"), Err(FormulaError::Syntax(_))));
        assert!(matches!(Formula::parse("a = 3"), Err(FormulaError::Unsupported(_))));
        assert!(matches!(Formula::parse("a; b"), Err(FormulaError::Unsupported(_))));
        assert!(matches!(Formula::parse("\"text\""), Err(FormulaError::Unsupported(_))));
        assert!(matches!(Formula::parse("str::trim(a)"), Err(FormulaError::Unsupported(_))));
        assert!(matches!(Formula::parse("if(a, b)"), Err(FormulaError::Syntax(_))));
        assert!(matches!(Formula::parse("(1, 2)"), Err(FormulaError::Syntax(_))));
        assert!(matches!(Formula::parse(&"a+".repeat(400)), Err(FormulaError::TooLong { .. })));
        // A missing value is an error naming it, not a silent zero.
        assert_eq!(eval("a + b", &[1.0, f64::NAN]), Err(FormulaError::Missing("b".into())));
    }

    #[test]
    fn deep_formulas_run() {
        let text = format!("{}1{}", "(".repeat(120), ")".repeat(120));
        assert_eq!(eval(&text, &[]), Ok(1.0));
        let text = (0..100).map(|_| "(1+").collect::<String>() + "1" + &")".repeat(100);
        assert_eq!(eval(&text, &[]), Ok(101.0));
    }

    #[test]
    fn lists_variables_and_compares() {
        let f = Formula::parse("if(fraud > 0, 1, 0) + fraud").unwrap();
        assert_eq!(f.variables, vec!["fraud".to_string()]);
        assert!(Formula::parse("fraud >= 1").unwrap().boolean(&[2.0]).unwrap());
        assert!(!Formula::parse("fraud >= 1").unwrap().boolean(&[0.0]).unwrap());
    }
}
