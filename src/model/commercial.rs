//! Effort by role priced at a rate card: the one reading of `pricing: {rate_card, effort}` that
//! documents print and the commercial rules (COM-001 to COM-003) check.

use serde_json::{Value, json};

/// A role's rate on the rate card.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate<'a> {
    pub amount: f64,
    pub currency: &'a str,
    /// `hour` or `day`.
    pub unit: &'a str,
}

/// One entry of `effort:`, with its rate when the rate card has the role.
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    pub role: &'a str,
    pub quantity: f64,
    pub rate: Option<Rate<'a>>,
}

impl Line<'_> {
    pub fn amount(&self) -> Option<f64> {
        self.rate.map(|r| r.amount * self.quantity)
    }
}

/// The rate of `role` on a rate card (a `rate_card:` list).
pub fn rate<'a>(rate_card: Option<&'a Value>, role: &str) -> Option<Rate<'a>> {
    let entry = rate_card?.as_array()?.iter().find(|r| r.get("role").and_then(Value::as_str) == Some(role))?;
    Some(Rate {
        amount: entry.pointer("/rate/amount")?.as_f64()?,
        currency: entry.pointer("/rate/currency")?.as_str()?,
        unit: entry.get("unit").and_then(Value::as_str).unwrap_or_default(),
    })
}

/// The effort lines of an `effort:` list, each priced at `rate_card`.
pub fn effort<'a>(effort: Option<&'a Value>, rate_card: Option<&'a Value>) -> Vec<Line<'a>> {
    let entries = effort.and_then(Value::as_array).into_iter().flatten();
    entries
        .map(|e| {
            let role = e.get("role").and_then(Value::as_str).unwrap_or_default();
            Line {
                role,
                quantity: e.get("quantity").and_then(Value::as_f64).unwrap_or(0.0),
                rate: rate(rate_card, role),
            }
        })
        .collect()
}

/// The total of the lines and its currency: `None` when there are none, any is unpriced or
/// the rates are in more than one currency.
pub fn total<'a>(lines: &[Line<'a>]) -> Option<(f64, &'a str)> {
    let currency = lines.first()?.rate?.currency;
    lines.iter().try_fold((0.0, currency), |(sum, currency), line| {
        let rate = line.rate.filter(|r| r.currency == currency)?;
        Some((sum + rate.amount * line.quantity, currency))
    })
}

/// The lines as templates print them: role, quantity, unit, rate and amount (money values),
/// and the total (null when it cannot be worked out).
pub fn to_value(lines: &[Line]) -> Value {
    let money = |amount: f64, currency: &str| json!({"amount": amount, "currency": currency});
    let rows: Vec<Value> = lines
        .iter()
        .map(|line| match line.rate {
            Some(rate) => json!({
                "role": line.role, "quantity": line.quantity, "unit": rate.unit,
                "rate": money(rate.amount, rate.currency), "amount": money(rate.amount * line.quantity, rate.currency),
            }),
            None => json!({"role": line.role, "quantity": line.quantity}),
        })
        .collect();
    let total = total(lines).map_or(Value::Null, |(sum, currency)| money(sum, currency));
    json!({"effort": rows, "total": total})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effort_is_priced_at_the_rate_card() {
        let card = json!([
            {"role": "Lead", "rate": {"amount": 1200, "currency": "GBP"}, "unit": "day"},
            {"role": "Analyst", "rate": {"amount": 90.5, "currency": "GBP"}, "unit": "hour"},
        ]);
        let effort_list = json!([{"role": "Lead", "quantity": 10}, {"role": "Analyst", "quantity": 4}]);
        let lines = effort(Some(&effort_list), Some(&card));
        assert_eq!(total(&lines), Some((12362.0, "GBP")));
        let unpriced = json!([{"role": "Lead", "quantity": 1}, {"role": "Architect", "quantity": 2}]);
        let lines = effort(Some(&unpriced), Some(&card));
        assert_eq!(lines[1].rate, None);
        assert_eq!(total(&lines), None);
        assert_eq!(total(&[]), None);
    }
}
