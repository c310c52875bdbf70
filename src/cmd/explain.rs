use crate::cmd::Outcome;
use crate::diag::RuleId;
use crate::error::Error;

pub fn run(code: &str) -> Result<Outcome, Error> {
    let rule = RuleId::from_code(code).ok_or_else(|| Error::UnknownRule(code.to_string()))?;
    let info = rule.info();
    outln!("{}: {}\n", info.code, info.title);
    outln!(
        "Severity:  {} (a policy in engage.yaml can change it: policy.rules.{}: error | warning | off)",
        info.severity,
        info.code
    );
    outln!("Applies:   {}\n", info.applies);
    outln!("Why: {}\n", info.rationale);
    outln!("How to fix: {}", info.fix);
    Ok(Outcome::Clean)
}
