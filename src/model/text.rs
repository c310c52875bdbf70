//! What every output does with user text and amounts: the characters none of them keeps, and how
//! money is written. Checks and diagnostics say what the renderers will do, so both read it here.

/// Whether user text loses `c` in every output (the Markdown escaping drops it, and so the HTML,
/// PDF and Word documents made from the Markdown): control characters but tab, line feed and
/// carriage return (which become spaces), and bidi overrides ([`is_bidi_override`]).
pub fn is_dropped(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_bidi_override(c)
}

/// Bidirectional embeddings, overrides and isolates: they make text show in an order other
/// than it was typed (`\u{202e}gnp.exe` shows as `exe.png`, the "Trojan Source" trick), and a
/// controlled document must show what its data says. Right-to-left scripts need none of them:
/// they show right to left by Unicode's own rules, as typed.
pub fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `12500`, `"GBP"` → `£12,500.00`: grouped thousands, two decimals, the currency's sign or code.
pub fn format_money(amount: f64, currency: &str) -> String {
    let cents = (amount.abs() * 100.0).round() as u128;
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if amount < 0.0 && cents > 0 { "-" } else { "" };
    let number = format!("{grouped}.{:02}", cents % 100);
    match currency {
        "GBP" => format!("{sign}£{number}"),
        "EUR" => format!("{sign}€{number}"),
        "USD" => format!("{sign}${number}"),
        "" => format!("{sign}{number}"),
        code => format!("{sign}{code} {number}"),
    }
}
